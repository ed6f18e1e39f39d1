/**
 * A member's local API secured as the gateway's, and the gateway's `clusters/NAME/proxy` to
 * it — real processes, real TLS on loopback: a `fedgate gateway` over HTTPS with RBAC, and a
 * `fedgate member` (process runtime) joined with a bootstrap token and serving HTTPS with its
 * own CA. Pod processes carry an environment marker, so none is left behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor, readKubeconfig, targetOf, writeKubeconfig } from '../../cli/kubeconfig.js';
import { GatewayPki } from '../../replicator/index.js';
import { httpsCall } from '../fixtures/https-call.js';
import { issueClientCertificate, type ClientCertificate } from '../fixtures/client-certificates.js';
import { runFedgate, type CliRun } from '../fixtures/cli-run.js';
import { startGatewayProcess, startMemberProcess, type FedgateProcess } from '../fixtures/gateway-process.js';
import { killProcessesWithEnv } from '../fixtures/processes.js';
import { waitFor } from '../fixtures/wait.js';

type Obj = any;

const RUN = randomUUID();
const MARKER = { FEDGATE_TEST_RUN: RUN };
const CLUSTERS = '/apis/cluster.fedgate.io/v1alpha1/clusters';
const PODS = '/api/v1/namespaces/default/pods';
const GREETER = "console.log('hello from', process.env.POD_NAME); console.log('second line'); setInterval(() => console.log('tick'), 200)";

/** Who a request is from: a bearer token, a client certificate, or nobody. */
interface Credentials {
  token?: string;
  cert?: ClientCertificate;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Obj;
  text: string;
}

/** One HTTPS request, the server verified against `caPem`. */
function call(base: string, caPem: string, who: Credentials, method: string, path: string, body?: unknown): Promise<Answer> {
  return httpsCall(base, caPem, who, method, path, body) as Promise<Answer>;
}

/** Opens a streaming GET and reads until `enough(text)` holds; resolves with the status, headers and text so far, then hangs up. */
function readStream(base: string, caPem: string, who: Credentials, path: string, enough: (text: string) => boolean, timeoutMs = 30_000): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = https.request(new URL(path, base), { method: 'GET', ca: caPem, agent: false, headers: { authorization: `Bearer ${who.token}` } }, (res) => {
      let text = '';
      const timer = setTimeout(() => {
        req.destroy();
        fail(new Error(`the stream did not deliver enough within ${timeoutMs} ms; got ${JSON.stringify(text)}`));
      }, timeoutMs);
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        if (!enough(text)) return;
        clearTimeout(timer);
        req.destroy();
        done({ status: res.statusCode ?? 0, headers: res.headers, body: undefined, text });
      });
      res.on('end', () => {
        clearTimeout(timer);
        done({ status: res.statusCode ?? 0, headers: res.headers, body: undefined, text });
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : fail(err)));
    req.end();
  });
}

describe('member API security and the gateway cluster proxy (real processes, TLS)', function () {
  this.timeout(240_000);
  let dir: string;
  let gatewayDir: string;
  let memberDir: string;
  let gateway: FedgateProcess;
  let member: FedgateProcess | undefined;
  let gatewayCa: string;
  let memberCa: string;
  let admin: Credentials;
  let memberAdmin: Credentials;
  let bob: Credentials;

  const gw = (who: Credentials, method: string, path: string, body?: unknown): Promise<Answer> => call(gateway.url, gatewayCa, who, method, path, body);
  const local = (who: Credentials, method: string, path: string): Promise<Answer> => call(member!.url, memberCa, who, method, path);
  const proxy = (cluster: string): string => `${CLUSTERS}/${cluster}/proxy`;
  const fedgate = (args: string[]): Promise<CliRun> =>
    runFedgate([...args, '--kubeconfig', join(gatewayDir, 'fedgate.kubeconfig')], 60_000, { env: { KUBECONFIG: undefined } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-member-api-'));
    gatewayDir = join(dir, 'gateway');
    memberDir = join(dir, 'eu-west');
    gateway = await startGatewayProcess(`sqlite:${join(gatewayDir, 'fedgate.db')}`, ['--data', gatewayDir, '--no-dns'], { secure: true });
    gatewayCa = readFileSync(join(gatewayDir, 'pki', 'ca.crt'), 'utf8');
    admin = { token: readFileSync(join(gatewayDir, 'admin.token'), 'utf8').trim() };

    const token = await fedgate(['token', 'create', '--data', gatewayDir, '--join-address', String(gateway.info['joinAddress'])]);
    assert.equal(token.code, 0, token.stderr);
    const secret = /--token ([a-z0-9]{6}\.[a-z0-9]{16})/.exec(token.stdout)?.[1];
    const caHash = /--ca-hash (sha256:[0-9a-f]{64})/.exec(token.stdout)?.[1];
    assert.ok(secret && caHash, token.stdout);
    member = await startMemberProcess(
      [
        '--name', 'eu-west', '--data', memberDir, '--pod-cidr', '127.96.0.0/16', '--nodes', '1', '--runtime', 'process', '--listen', '127.0.0.1:0',
        '--join', String(gateway.info['joinAddress']), '--token', secret, '--ca-hash', caHash,
      ],
      { secure: true },
    );
    assert.match(member.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(member.info['kubeconfig'], join(memberDir, 'member.kubeconfig'));
    memberCa = readFileSync(join(memberDir, 'api-pki', 'ca.crt'), 'utf8');
    memberAdmin = { token: readFileSync(join(memberDir, 'admin.token'), 'utf8').trim() };
    await waitFor('the member Ready', async () => {
      const c = (await gw(admin, 'GET', `${CLUSTERS}/eu-west`)).body;
      return c?.status?.conditions?.some((x: Obj) => x.type === 'Ready' && x.status === 'True');
    }, 60_000);

    const bobRun = await fedgate(['token', 'create', '--user', 'bob', '--data', gatewayDir, '--ttl', '2h']);
    assert.equal(bobRun.code, 0, bobRun.stderr);
    bob = { token: /^token:\s+(\S+)$/m.exec(bobRun.stdout)?.[1] };
    const binding = await gw(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bob-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
    });
    assert.equal(binding.status, 201, binding.text);
    await waitFor("bob's token and binding in effect", async () => (await gw(bob, 'GET', '/api/v1/namespaces/default/configmaps')).status === 200);
  });

  after(async () => {
    await member?.stop(15_000);
    await gateway?.stop();
    killProcessesWithEnv(MARKER);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(`--- gateway ---\n${gateway.logs.slice(-20).join('\n')}\n${gateway.stderr.slice(-10).join('\n')}`);
    if (member) console.log(`--- member ---\n${member.logs.slice(-20).join('\n')}\n${member.stderr.slice(-10).join('\n')}`);
  });

  it('refuses anonymous requests and member certificates; takes its admin token and client certificates of its CA and of the gateway CA', async () => {
    assert.equal((await local({}, 'GET', PODS)).status, 401, 'anonymous');
    assert.equal((await local({}, 'GET', '/healthz')).status, 200, 'health stays open');
    const memberCert = { certPem: readFileSync(join(memberDir, 'pki', 'member.crt'), 'utf8'), keyPem: readFileSync(join(memberDir, 'pki', 'member.key'), 'utf8') };
    const refused = await local({ cert: memberCert }, 'GET', PODS);
    assert.equal(refused.status, 401, 'a member certificate of the gateway CA');
    assert.equal((await local({ cert: await issueClientCertificate(join(gatewayDir, 'pki'), 'us-east', ['fedgate:members']) }, 'GET', PODS)).status, 401);
    assert.equal((await local(memberAdmin, 'GET', PODS)).status, 200, 'its admin token');
    assert.equal((await local({ token: admin.token }, 'GET', PODS)).status, 401, "the gateway's admin token means nothing here");

    const ops = await local({ cert: await issueClientCertificate(join(gatewayDir, 'pki'), 'ops', ['system:masters']) }, 'GET', PODS);
    assert.equal(ops.status, 200, 'a gateway-CA user certificate in system:masters');
    const nobody = await local({ cert: await issueClientCertificate(join(gatewayDir, 'pki'), 'nobody') }, 'GET', PODS);
    assert.equal(nobody.status, 403, 'authenticated, but RBAC grants it nothing');
    assert.match(nobody.body?.message ?? '', /User "nobody" cannot list resource "pods"/);
    assert.equal((await local({ cert: await issueClientCertificate(join(memberDir, 'api-pki'), 'local-ops', ['system:masters']) }, 'GET', PODS)).status, 200, 'its own CA');

    const strangerDir = join(dir, 'stranger');
    await GatewayPki.loadOrCreate(strangerDir, { hosts: [] });
    assert.equal((await local({ cert: await issueClientCertificate(join(strangerDir, 'pki'), 'root', ['system:masters']) }, 'GET', PODS)).status, 401, 'a CA it does not trust');
  });

  it('reported its API and CA at join: the Cluster has them', async () => {
    const c = (await gw(admin, 'GET', `${CLUSTERS}/eu-west`)).body;
    assert.equal(c.spec.apiEndpoint, member!.url);
    assert.equal(Buffer.from(c.spec.apiCABundle, 'base64').toString('utf8'), memberCa);
    const discovery = (await gw(admin, 'GET', '/apis/cluster.fedgate.io/v1alpha1')).body;
    assert.deepEqual(discovery.resources.find((r: Obj) => r.name === 'clusters/proxy')?.verbs, ['create', 'delete', 'get', 'patch', 'update']);
  });

  it('proxies to a cluster-admin: creates a pod, reads its log, follows it; fedgate logs reads it with gateway credentials only', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'greeter', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: `node:${process.versions.node}`, command: [process.execPath, '-e', GREETER], env: [{ name: 'FEDGATE_TEST_RUN', value: RUN }] }] },
    };
    const created = await gw(admin, 'POST', `${proxy('eu-west')}${PODS}`, pod);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.metadata.name, 'greeter');
    assert.equal((await local(memberAdmin, 'GET', `${PODS}/greeter`)).status, 200, 'the pod is in the member');

    const log = await waitFor('the greeter log through the proxy', async () => {
      const r = await gw(admin, 'GET', `${proxy('eu-west')}${PODS}/greeter/log`);
      return r.status === 200 && r.text.includes('second line') ? r : undefined;
    }, 60_000);
    assert.match(String(log.headers['content-type']), /^text\/plain/);
    assert.match(log.text, /^hello from greeter\nsecond line\n/);
    const tail = await gw(admin, 'GET', `${proxy('eu-west')}${PODS}/greeter/log?tailLines=1`);
    assert.equal(tail.text.trim().split('\n').length, 1);

    // follow=true streams: more ticks arrive after the response started.
    const followed = await readStream(gateway.url, gatewayCa, admin, `${proxy('eu-west')}${PODS}/greeter/log?follow=true&tailLines=1`, (t) => (t.match(/tick/g) ?? []).length >= 3);
    assert.equal(followed.status, 200);
    assert.ok((followed.text.match(/tick/g) ?? []).length >= 3, followed.text);

    const cli = await fedgate(['logs', 'greeter', '--cluster', 'eu-west']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^hello from greeter\nsecond line\n/);
    const missing = await fedgate(['logs', 'ghost', '--cluster', 'eu-west']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pod "ghost" not found in namespace "default" of cluster "eu-west"/);
    const unknown = await fedgate(['logs', 'greeter', '--cluster', 'nowhere']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /cluster "nowhere" is not a member of the federation/);
  });

  it('answers 403 to a user with only edit, and 404 for an unknown cluster', async () => {
    const denied = await gw(bob, 'GET', `${proxy('eu-west')}${PODS}`);
    assert.equal(denied.status, 403, denied.text);
    assert.match(denied.body.message, /User "bob" cannot get resource "clusters\/proxy" in API group "cluster\.fedgate\.io"/);
    assert.equal((await gw(bob, 'POST', `${proxy('eu-west')}${PODS}`, {})).status, 403);
    assert.equal((await gw(bob, 'GET', `${proxy('nowhere')}${PODS}`)).status, 403, 'authorized before looking the cluster up');
    writeKubeconfig(join(dir, 'bob.kubeconfig'), kubeconfigFor({ server: gateway.url, caPem: gatewayCa, token: bob.token! }));
    const bobLogs = await runFedgate(['logs', 'greeter', '--cluster', 'eu-west', '--kubeconfig', join(dir, 'bob.kubeconfig')], 30_000, { env: { KUBECONFIG: undefined } });
    assert.equal(bobLogs.code, 1);
    assert.match(bobLogs.stderr, /cannot get resource "clusters\/proxy"/);
    const unknown = await gw(admin, 'GET', `${proxy('nowhere')}${PODS}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'clusters.cluster.fedgate.io "nowhere" not found');
    assert.equal((await gw({}, 'GET', `${proxy('eu-west')}${PODS}`)).status, 401);
  });

  it('refuses a member API whose certificate does not match the Cluster, and says when there is nothing to reach', async () => {
    const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');
    const cluster = (name: string, spec: Obj) => ({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec });
    const made = [
      // Another cluster naming eu-west's endpoint and CA: eu-west's certificate is not its own.
      cluster('impostor', { apiEndpoint: member!.url, apiCABundle: b64(memberCa) }),
      cluster('wrong-ca', { apiEndpoint: member!.url, apiCABundle: b64(gatewayCa) }),
      cluster('down', { apiEndpoint: 'https://127.0.0.1:1', apiCABundle: b64(memberCa) }),
      cluster('bare', { region: 'nowhere' }),
    ];
    for (const c of made) assert.equal((await gw(admin, 'POST', CLUSTERS, c)).status, 201);

    const impostor = await gw(admin, 'GET', `${proxy('impostor')}${PODS}`);
    assert.equal(impostor.status, 502, impostor.text);
    assert.match(impostor.body.message, /failed TLS verification: the certificate is for "fedgate-member-api:eu-west", not the API of cluster "impostor"/);
    const wrongCa = await gw(admin, 'GET', `${proxy('wrong-ca')}${PODS}`);
    assert.equal(wrongCa.status, 502, wrongCa.text);
    assert.match(wrongCa.body.message, /^the API of cluster "wrong-ca" at https:\/\/127\.0\.0\.1:\d+ failed TLS verification/);
    const down = await gw(admin, 'GET', `${proxy('down')}${PODS}`);
    assert.equal(down.status, 503);
    assert.match(down.body.message, /^cannot reach the API of cluster "down" at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    const bare = await gw(admin, 'GET', `${proxy('bare')}${PODS}`);
    assert.equal(bare.status, 503);
    assert.equal(bare.body.message, 'cluster "bare" has no API endpoint: its member reported none (Cluster spec.apiEndpoint)');
    // The real one still answers.
    assert.equal((await gw(admin, 'GET', `${proxy('eu-west')}${PODS}`)).status, 200);
  });

  it("says so when a member does not trust the gateway (a standalone member's API, recorded by hand)", async () => {
    const soloDir = join(dir, 'solo');
    const solo = await startMemberProcess(['--name', 'solo', '--data', soloDir, '--pod-cidr', '127.97.0.0/16', '--nodes', '1', '--runtime', 'simulated', '--listen', '127.0.0.1:0'], {
      secure: true,
    });
    try {
      const soloCa = readFileSync(join(soloDir, 'api-pki', 'ca.crt'), 'utf8');
      const made = await gw(admin, 'POST', CLUSTERS, {
        apiVersion: 'cluster.fedgate.io/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'solo' },
        spec: { apiEndpoint: solo.url, apiCABundle: Buffer.from(soloCa).toString('base64') },
      });
      assert.equal(made.status, 201, made.text);
      const refused = await gw(admin, 'GET', `${proxy('solo')}${PODS}`);
      assert.equal(refused.status, 502, refused.text);
      assert.match(refused.body.message, /refused the gateway's client certificate \(401\): the member does not trust this gateway's CA/);
      assert.equal((await call(solo.url, soloCa, { token: readFileSync(join(soloDir, 'admin.token'), 'utf8').trim() }, 'GET', PODS)).status, 200, 'its own admin still gets in');
    } finally {
      await solo.stop(15_000);
    }
  });

  it('after a restart with a new port and a rotated CA, the member reports both and the proxy follows', async () => {
    const before = member!.url;
    const oldCa = memberCa;
    await member!.stop(15_000);
    // Rotating the member's local CA: stop, move api-pki/ away, start (a new CA and serving certificate are made).
    rmSync(join(memberDir, 'api-pki'), { recursive: true, force: true });
    member = await startMemberProcess(
      ['--name', 'eu-west', '--data', memberDir, '--pod-cidr', '127.96.0.0/16', '--nodes', '1', '--runtime', 'process', '--listen', '127.0.0.1:0', '--join', String(gateway.info['joinAddress'])],
      { secure: true },
    );
    memberCa = readFileSync(join(memberDir, 'api-pki', 'ca.crt'), 'utf8');
    assert.notEqual(memberCa, oldCa);
    assert.notEqual(member.url, before);
    const c = await waitFor('the Cluster to show the new endpoint and CA', async () => {
      const got = (await gw(admin, 'GET', `${CLUSTERS}/eu-west`)).body;
      return got?.spec?.apiEndpoint === member!.url ? got : undefined;
    }, 30_000);
    assert.equal(Buffer.from(c.spec.apiCABundle, 'base64').toString('utf8'), memberCa);
    const nodes = await gw(admin, 'GET', `${proxy('eu-west')}/api/v1/nodes`);
    assert.equal(nodes.status, 200, nodes.text);
    assert.deepEqual(nodes.body.items.map((n: Obj) => n.metadata.name), ['eu-west-node-0']);
    // The admin token and kubeconfig outlive the CA rotation (the kubeconfig carries the new CA).
    assert.equal((await local(memberAdmin, 'GET', PODS)).status, 200);
    assert.equal(targetOf(readKubeconfig(join(memberDir, 'member.kubeconfig'))).caPem, memberCa);
  });
});
