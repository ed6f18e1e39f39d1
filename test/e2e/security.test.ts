/**
 * A real `fedgate gateway` over HTTPS with real tokens: the users × verbs × resources ×
 * namespaces matrix answers exactly as Kubernetes RBAC would, `kubectl auth can-i` agrees,
 * the audit log has one line per request and no Secret value, per-user rate limits (429),
 * the namespace object quota (403), member certificates refused on the REST API, and
 * Secrets encrypted in the SQLite file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor, writeKubeconfig } from '../../cli/kubeconfig.js';
import { EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, exportPrivateKey, GatewayPki, x509 } from '../../replicator/index.js';
import { issueClientCertificate } from '../fixtures/client-certificates.js';
import { httpsCall, type HttpsAnswer, type HttpsCredentials } from '../fixtures/https-call.js';
import { runFedgate } from '../fixtures/cli-run.js';
import { startGatewayProcess, type GatewayProcess } from '../fixtures/gateway-process.js';
import { waitFor } from '../fixtures/wait.js';
import { collectionPath, rbacAllows, RESOURCES, SCOPES, VERBS, type ResourceName, type Scope, type Verb } from '../fixtures/rbac-matrix.js';

const USERS = ['admin', 'alice', 'bob', 'carol', 'anonymous'] as const;
type Who = (typeof USERS)[number];

/** The plaintext of the matrix's Secrets: must appear in no audit line and nowhere in the SQLite files. */
const SECRET_VALUE = 'p4ssw0rd-that-must-never-leak-9f1c';
const MATRIX_AGENT = 'fedgate-security-matrix/1.0';

const allowed = rbacAllows;

/**
 * The HTTP code of a cell: 401 for anonymous, 403 when RBAC denies; once allowed, what the
 * path means — a namespaced kind at cluster scope is listed and watched across namespaces
 * but names no single object (404) and takes no POST (405); a cluster-scoped kind under a
 * namespace names nothing (404); otherwise the verb's success code.
 */
function expectedCode(who: Who, verb: Verb, resource: ResourceName, scope: Scope): number {
  if (who === 'anonymous') return 401;
  if (!allowed(who, verb, resource, scope)) return 403;
  const namespaced = RESOURCES[resource].namespaced;
  if (!namespaced && scope !== 'cluster') return 404;
  if (namespaced && scope === 'cluster') {
    if (verb === 'list' || verb === 'watch') return 200;
    return verb === 'create' ? 405 : 404;
  }
  return verb === 'create' ? 201 : 200;
}

/** A valid object of each kind, named `name` (in `namespace` for namespaced kinds). */
function objectOf(resource: ResourceName, name: string, namespace: string | undefined): Record<string, unknown> {
  const metadata = { name, ...(namespace && RESOURCES[resource].namespaced ? { namespace } : {}) };
  switch (resource) {
    case 'deployments':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      };
    case 'secrets':
      return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { password: Buffer.from(SECRET_VALUE).toString('base64') } };
    case 'clusters':
      return { apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata, spec: { region: 'us' } };
    case 'propagationpolicies':
      return {
        apiVersion: 'policy.fedgate.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata,
        spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }] },
      };
  }
}

type Client = HttpsCredentials;
type Answer = HttpsAnswer;

/** One HTTPS request verified against the gateway CA; a watch is answered as soon as its headers arrive. */
const call = httpsCall;

/** A RoleBinding in `shop` of ClusterRole `role` to user `user`. */
function binding(name: string, role: string, user: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
  };
}

function kubectlMissing(): string | undefined {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `kubectl is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `kubectl does not run: ${probe.stderr}`;
  return undefined;
}

/** A member certificate exactly as the gateway issues it at join (CN=<cluster>, O=fedgate:members). */
async function issueMemberCertificate(dataDir: string, cluster: string): Promise<{ certPem: string; keyPem: string }> {
  const pki = await GatewayPki.loadOrCreate(dataDir, { hosts: ['127.0.0.1'] });
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${cluster}`, keys, signingAlgorithm: EC_SIGNING_ALGORITHM });
  const certPem = await pki.signMemberCsr(csr.toString('pem'), cluster);
  return { certPem, keyPem: await exportPrivateKey(keys.privateKey) };
}

/** Issues a user token with `fedgate token create --user` against the gateway's data directory. */
async function userToken(dataDir: string, user: string): Promise<string> {
  const run = await runFedgate(['token', 'create', '--user', user, '--data', dataDir, '--ttl', '2h']);
  assert.equal(run.code, 0, run.stderr);
  const m = /^token:\s+(\S+)$/m.exec(run.stdout);
  assert.ok(m, run.stdout);
  return m[1]!;
}

describe('security: a gateway over HTTPS with authentication, RBAC, limits and audit', function () {
  this.timeout(180_000);
  let dir: string;
  let gateway: GatewayProcess;
  let caPem: string;
  const tokens: Partial<Record<Who, string>> = {};
  let url: string;
  let auditPath: string;

  const as = (who: Who, agent?: string): Client => ({ ...(tokens[who] ? { token: tokens[who] } : {}), ...(agent ? { agent } : {}) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-security-'));
    auditPath = join(dir, 'audit.log');
    gateway = await startGatewayProcess(`sqlite:${join(dir, 'fedgate.db')}`, ['--no-dns', '--audit-log', auditPath], { secure: true });
    url = gateway.url;
    assert.match(url, /^https:\/\//);
    assert.equal(gateway.info['kubeconfig'], join(dir, 'fedgate.kubeconfig'));
    caPem = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    tokens.admin = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    for (const who of ['alice', 'bob', 'carol'] as const) tokens[who] = await userToken(dir, who);
    // The tokens were written by another process: wait until the gateway has seen each of them.
    for (const who of ['alice', 'bob', 'carol'] as const) {
      await waitFor(`${who}'s token to be known`, async () => {
        const r = await call(url, caPem, as(who), 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
        return r.status === 201 && (r.body as { status: { userInfo: { username: string } } }).status.userInfo.username === who;
      });
    }
    const admin = as('admin');
    for (const ns of ['shop', 'bank']) assert.equal((await call(url, caPem, admin, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    for (const [name, role, user] of [['alice-edit', 'edit', 'alice'], ['bob-view', 'view', 'bob']] as const) {
      const r = await call(url, caPem, admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings', binding(name, role, user));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    // Objects the matrix reads, updates and deletes: `x` in every scope, and one per user to delete.
    for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
      for (const scope of SCOPES) {
        const namespaced = RESOURCES[resource].namespaced;
        if (namespaced === (scope === 'cluster')) continue;
        const ns = scope === 'cluster' ? undefined : scope;
        for (const name of ['x', ...USERS.map((w) => `del-${w}`)]) {
          const r = await call(url, caPem, admin, 'POST', collectionPath(resource, scope), objectOf(resource, name, ns));
          assert.equal(r.status, 201, `${resource} ${name} in ${scope}: ${JSON.stringify(r.body)}`);
        }
      }
    }
    // Bindings take effect when their watch event reaches the authorizer.
    await waitFor('alice and bob bindings in effect', async () => {
      const a = await call(url, caPem, as('alice'), 'GET', collectionPath('secrets', 'shop'));
      const b = await call(url, caPem, as('bob'), 'GET', collectionPath('deployments', 'shop'));
      return a.status === 200 && b.status === 200;
    });
  });

  after(async () => {
    await gateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Performs one matrix cell and returns the HTTP status. */
  async function perform(who: Who, verb: Verb, resource: ResourceName, scope: Scope): Promise<Answer> {
    const collection = collectionPath(resource, scope);
    const ns = scope === 'cluster' ? undefined : scope;
    const client = as(who, MATRIX_AGENT);
    switch (verb) {
      case 'get':
        return call(url, caPem, client, 'GET', `${collection}/x`);
      case 'list':
        return call(url, caPem, client, 'GET', collection);
      case 'watch':
        return call(url, caPem, client, 'GET', `${collection}?watch=true&timeoutSeconds=30`);
      case 'create':
        return call(url, caPem, client, 'POST', collection, objectOf(resource, `new-${who}`, ns));
      case 'update': {
        const obj = objectOf(resource, 'x', ns);
        (obj['metadata'] as Record<string, unknown>)['labels'] = { updatedBy: who };
        return call(url, caPem, client, 'PUT', `${collection}/x`, obj);
      }
      case 'patch':
        return call(url, caPem, client, 'PATCH', `${collection}/x`, { metadata: { annotations: { [`patched-by-${who}`]: 'yes' } } }, 'application/merge-patch+json');
      case 'delete':
        return call(url, caPem, client, 'DELETE', `${collection}/del-${who}`);
    }
  }

  const seen: { who: Who; verb: Verb; resource: ResourceName; scope: Scope; code: number }[] = [];

  it('answers the users × verbs × resources × namespaces matrix with exactly the codes Kubernetes would', async () => {
    const wrong: string[] = [];
    for (const who of USERS) {
      for (const verb of VERBS) {
        for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
          for (const scope of SCOPES) {
            const answer = await perform(who, verb, resource, scope);
            seen.push({ who, verb, resource, scope, code: answer.status });
            const want = expectedCode(who, verb, resource, scope);
            if (answer.status !== want) wrong.push(`${who} ${verb} ${resource} in ${scope}: got ${answer.status}, want ${want} ${JSON.stringify(answer.body)}`);
            if (answer.status === 401 || answer.status === 403) {
              const status = answer.body as { kind?: string; reason?: string; code?: number };
              if (status.kind !== 'Status' || status.code !== answer.status) wrong.push(`${who} ${verb} ${resource} in ${scope}: not a Status body`);
            }
          }
        }
      }
    }
    assert.equal(seen.length, 5 * 7 * 4 * 3);
    assert.deepEqual(wrong, []);
    // Kubernetes' words for a refusal.
    const denied = await call(url, caPem, as('bob'), 'DELETE', `${collectionPath('deployments', 'shop')}/x`);
    assert.equal(denied.status, 403);
    assert.equal(
      (denied.body as { message: string }).message,
      'deployments.apps "x" is forbidden: User "bob" cannot delete resource "deployments" in API group "apps" in the namespace "shop"',
    );
  });

  it('writes one audit line per request, with the user and the code, and never a Secret value', async function () {
    assert.equal(seen.length, 420, 'the matrix ran first');
    // Watch lines are written when the server sees the client hang up.
    const lines = await waitFor(
      'an audit line for every matrix request',
      async () => {
        const all = readFileSync(auditPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        const matrix = all.filter((l) => l['userAgent'] === MATRIX_AGENT);
        return matrix.length >= seen.length ? matrix : undefined;
      },
      30_000,
    );
    assert.equal(lines.length, seen.length);
    const count = (pred: (l: Record<string, unknown>) => boolean) => lines.filter(pred).length;
    const want = (pred: (c: (typeof seen)[number]) => boolean) => seen.filter(pred).length;
    for (const code of [200, 201, 401, 403, 404, 405]) assert.equal(count((l) => l['code'] === code), want((c) => c.code === code), `lines with code ${code}`);
    for (const who of ['admin', 'alice', 'bob', 'carol'] as const) {
      assert.equal(count((l) => l['user'] === who), want((c) => c.who === who), `lines of ${who}`);
    }
    assert.equal(count((l) => l['user'] === undefined), want((c) => c.who === 'anonymous'), 'unauthenticated lines name no user');
    const aliceCreate = lines.find((l) => l['user'] === 'alice' && l['verb'] === 'create' && l['resource'] === 'secrets' && l['namespace'] === 'shop');
    assert.ok(aliceCreate, 'the line of alice creating a Secret in shop');
    assert.equal(aliceCreate['code'], 201);
    assert.equal(aliceCreate['apiGroup'], '');
    assert.ok(Array.isArray(aliceCreate['groups']) && (aliceCreate['groups'] as string[]).includes('system:authenticated'));
    assert.equal(aliceCreate['sourceIP'], '127.0.0.1');
    assert.equal(typeof aliceCreate['latencyMs'], 'number');
    const refused = lines.find((l) => l['user'] === 'carol' && l['verb'] === 'get' && l['resource'] === 'secrets' && l['namespace'] === 'bank');
    assert.deepEqual([refused?.['code'], refused?.['name']], [403, 'x']);
    const text = readFileSync(auditPath, 'utf8');
    assert.ok(!text.includes(SECRET_VALUE), 'no Secret plaintext in the audit log');
    assert.ok(!text.includes(Buffer.from(SECRET_VALUE).toString('base64')), 'no Secret data in the audit log');
    for (const token of Object.values(tokens)) assert.ok(!text.includes(token!), 'no token in the audit log');
  });

  it('keeps Secret plaintext out of the SQLite files', async () => {
    const created = await call(url, caPem, as('alice'), 'POST', collectionPath('secrets', 'shop'), objectOf('secrets', 'db-password', 'shop'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const read = await call(url, caPem, as('alice'), 'GET', `${collectionPath('secrets', 'shop')}/db-password`);
    assert.equal((read.body as { data: { password: string } }).data.password, Buffer.from(SECRET_VALUE).toString('base64'), 'the API serves the value');
    const files = readdirSync(dir).filter((f) => f.startsWith('fedgate.db'));
    assert.ok(files.includes('fedgate.db'), files.join(','));
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      assert.equal(bytes.indexOf(SECRET_VALUE), -1, `plaintext in ${f}`);
      assert.equal(bytes.indexOf(Buffer.from(SECRET_VALUE).toString('base64')), -1, `base64 value in ${f}`);
    }
    // The Secret is there, encrypted: its name is in the key, its value is not.
    const db = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    assert.notEqual(db.indexOf('/registry/core/secrets/shop/db-password'), -1);
    assert.notEqual(db.indexOf('k8s:enc:aesgcm:v1:'), -1);
  });

  it('refuses member certificates on the REST API, and accepts other certificates of the CA', async () => {
    const member = await issueMemberCertificate(dir, 'eu-west');
    const asMember = await call(url, caPem, { cert: member }, 'GET', '/api/v1/namespaces/default/secrets');
    assert.equal(asMember.status, 401, JSON.stringify(asMember.body));
    assert.equal((asMember.body as { message: string }).message, 'Unauthorized');
    const whoMember = await call(url, caPem, { cert: member }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
    assert.equal(whoMember.status, 401);
    // The same CA's certificate for an operator in system:masters authenticates.
    const ops = await issueClientCertificate(join(dir, 'pki'), 'ops', ['system:masters']);
    const asOps = await call(url, caPem, { cert: ops }, 'GET', '/api/v1/namespaces/default/secrets');
    assert.equal(asOps.status, 200, JSON.stringify(asOps.body));
    const whoOps = await call(url, caPem, { cert: ops }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
    assert.equal((whoOps.body as { status: { userInfo: { username: string } } }).status.userInfo.username, 'ops');
  });

  it('refuses RBAC writes that would escalate, and roleRef changes of a binding', async () => {
    const admin = as('admin');
    const rb = '/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings';
    const erin = { token: await userToken(dir, 'erin') };
    assert.equal((await call(url, caPem, admin, 'POST', rb, binding('erin-admin', 'admin', 'erin'))).status, 201);
    await waitFor('erin admin in shop', async () => (await call(url, caPem, erin, 'GET', rb)).status === 200);
    // `admin` in shop may bind what it holds there, not cluster-admin.
    const escalate = await call(url, caPem, erin, 'POST', rb, binding('frank-root', 'cluster-admin', 'frank'));
    assert.equal(escalate.status, 403, JSON.stringify(escalate.body));
    assert.match((escalate.body as { message: string }).message, /is attempting to grant RBAC permissions not currently held/);
    assert.equal((await call(url, caPem, erin, 'POST', rb, binding('frank-edit', 'edit', 'frank'))).status, 201);
    const patched = await call(url, caPem, erin, 'PATCH', `${rb}/frank-edit`, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } }, 'application/merge-patch+json');
    assert.equal(patched.status, 403, 'a patch granting more is refused before anything else');
    const changed = await call(url, caPem, admin, 'PUT', `${rb}/frank-edit`, binding('frank-edit', 'view', 'frank'));
    assert.equal(changed.status, 422, JSON.stringify(changed.body));
    assert.match(JSON.stringify(changed.body), /roleRef/);
  });

  it('answers kubectl auth can-i and whoami as the matrix says', async function () {
    const missing = kubectlMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, caPem);
    const sample: [Who, Verb, string, ResourceName, string][] = [
      ['alice', 'create', 'deployments.apps', 'deployments', 'shop'],
      ['alice', 'get', 'secrets', 'secrets', 'shop'],
      ['alice', 'delete', 'secrets', 'secrets', 'bank'],
      ['alice', 'list', 'clusters.cluster.fedgate.io', 'clusters', 'shop'],
      ['bob', 'list', 'deployments.apps', 'deployments', 'shop'],
      ['bob', 'get', 'secrets', 'secrets', 'shop'],
      ['bob', 'patch', 'propagationpolicies.policy.fedgate.io', 'propagationpolicies', 'shop'],
      ['carol', 'get', 'deployments.apps', 'deployments', 'shop'],
      ['admin', 'delete', 'secrets', 'secrets', 'bank'],
    ];
    for (const who of ['alice', 'bob', 'carol', 'admin'] as const) {
      writeKubeconfig(join(dir, `${who}.kubeconfig`), kubeconfigFor({ server: url, caPem, token: tokens[who]! }));
    }
    for (const [who, verb, kubectlResource, resource, ns] of sample) {
      const run = spawnSync('kubectl', ['--kubeconfig', join(dir, `${who}.kubeconfig`), 'auth', 'can-i', verb, kubectlResource, '-n', ns], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, KUBECACHEDIR: join(dir, `kubecache-${who}`) },
      });
      const want = allowed(who, verb, resource, ns as Scope) ? 'yes' : 'no';
      assert.equal(run.stdout.trim(), want, `kubectl auth can-i ${verb} ${kubectlResource} -n ${ns} as ${who}: ${run.stderr}`);
      assert.equal(run.status, want === 'yes' ? 0 : 1);
    }
    const whoami = spawnSync('kubectl', ['--kubeconfig', join(dir, 'alice.kubeconfig'), 'auth', 'whoami', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, KUBECACHEDIR: join(dir, 'kubecache-alice') },
    });
    assert.equal(whoami.status, 0, whoami.stderr);
    assert.equal((JSON.parse(whoami.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username, 'alice');
  });

  it('answers kubectl auth can-i --list (SelfSubjectRulesReview) with the rules of the namespace', async function () {
    const missing = kubectlMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    for (const who of ['alice', 'carol'] as const) writeKubeconfig(join(dir, `${who}.kubeconfig`), kubeconfigFor({ server: url, caPem, token: tokens[who]! }));
    const list = (who: string, ns: string): string[] => {
      const run = spawnSync('kubectl', ['--kubeconfig', join(dir, `${who}.kubeconfig`), 'auth', 'can-i', '--list', '-n', ns], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, KUBECACHEDIR: join(dir, `kubecache-${who}`) },
      });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.split('\n');
    };
    const row = (lines: string[], resource: string) => lines.find((l) => l.split(/\s+/)[0] === resource);
    // alice has edit in shop: Secrets and Deployments writable there, not in bank.
    const shop = list('alice', 'shop');
    assert.match(row(shop, 'secrets') ?? '', /create/);
    assert.match(row(shop, 'deployments.apps') ?? '', /create/);
    assert.equal(row(list('alice', 'bank'), 'secrets'), undefined);
    // carol has no bindings: only what every authenticated user gets.
    const carol = list('carol', 'shop');
    assert.equal(row(carol, 'secrets'), undefined);
    assert.match(row(carol, 'selfsubjectaccessreviews.authorization.k8s.io') ?? '', /create/);
    assert.ok(carol.some((l) => l.includes('/version')), 'non-resource URLs listed');
    // JSON too; a review without a namespace is Invalid.
    const review = (ns?: string) =>
      call(url, caPem, { token: tokens.alice! }, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: ns ? { namespace: ns } : {} });
    const ok = await review('shop');
    assert.equal(ok.status, 201);
    assert.equal((ok.body as { status: { incomplete: boolean } }).status.incomplete, false);
    const bad = await review();
    assert.equal(bad.status, 422);
    assert.match(JSON.stringify(bad.body), /spec.namespace: Required value/);
  });

  it('reopens the audit log on SIGHUP, so a rotated file is replaced, not written on', async () => {
    renameSync(auditPath, `${auditPath}.1`);
    process.kill(gateway.pid, 'SIGHUP');
    await waitFor('the reopen log line', async () => gateway.logs.some((l) => l.includes('reopened the audit log')), 15_000);
    const agent = 'fedgate-audit-rotation/1.0';
    assert.equal((await call(url, caPem, { token: tokens.admin!, agent }, 'GET', '/api/v1/namespaces/shop')).status, 200);
    const line = await waitFor(
      'the line in the new file',
      async () => (existsSync(auditPath) ? readFileSync(auditPath, 'utf8').split('\n').find((l) => l.includes(agent)) : undefined),
      15_000,
    );
    assert.equal((JSON.parse(line) as { user: string }).user, 'admin');
    assert.equal(readFileSync(`${auditPath}.1`, 'utf8').includes(agent), false, 'the rotated file gets no new line');
    assert.equal(statSync(auditPath).mode & 0o777, 0o600);
  });

  it('impersonation: kubectl --as acts as the user for those allowed to impersonate, and is audited as such', async function () {
    const missing = kubectlMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    const kubectl = (who: string, ...args: string[]) =>
      spawnSync('kubectl', ['--kubeconfig', join(dir, `${who}.kubeconfig`), ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, KUBECACHEDIR: join(dir, `kubecache-${who}`) },
      });
    for (const who of ['alice', 'admin'] as const) writeKubeconfig(join(dir, `${who}.kubeconfig`), kubeconfigFor({ server: url, caPem, token: tokens[who]! }));
    // admin (system:masters) acts as bob: whoami says bob, and bob's rights apply.
    const whoami = kubectl('admin', 'auth', 'whoami', '--as', 'bob', '--as-group', 'qa', '-o', 'json');
    assert.equal(whoami.status, 0, whoami.stderr);
    const info = (JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    assert.deepEqual([info.username, info.groups], ['bob', ['qa', 'system:authenticated']]);
    for (const [verb, resource, ns] of [['list', 'deployments', 'shop'], ['delete', 'secrets', 'bank'], ['create', 'deployments', 'shop']] as const) {
      const run = kubectl('admin', 'auth', 'can-i', verb, resource, '-n', ns, '--as', 'bob');
      assert.equal(run.stdout.trim(), allowed('bob', verb, resource, ns) ? 'yes' : 'no', `admin --as bob can-i ${verb} ${resource} -n ${ns}`);
    }
    const asBob = kubectl('admin', 'delete', 'secret', 'x', '-n', 'bank', '--as', 'bob');
    assert.notEqual(asBob.status, 0);
    assert.match(asBob.stderr, /secrets "x" is forbidden: User "bob" cannot delete resource "secrets" in API group "" in the namespace "bank"/);
    // alice (edit in shop) may not impersonate a user.
    const refused = kubectl('alice', 'get', 'deployments', '-n', 'shop', '--as', 'admin');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);
    const line = await waitFor(
      'the audit line of the impersonated delete',
      async () =>
        readFileSync(auditPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l['verb'] === 'delete' && l['resource'] === 'secrets' && l['namespace'] === 'bank' && l['impersonatedUser'] !== undefined),
      30_000,
    );
    assert.equal(line['user'], 'admin');
    assert.deepEqual(line['impersonatedUser'], { user: 'bob', groups: ['system:authenticated'] });
    assert.equal(line['code'], 403);
  });
});

describe('security: per-user rate limits and the namespace object quota', function () {
  this.timeout(120_000);
  let dir: string;
  let gateway: GatewayProcess;
  let caPem: string;
  let admin: Client;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-limits-'));
    gateway = await startGatewayProcess(`sqlite:${join(dir, 'fedgate.db')}`, ['--no-dns', '--rate-limit', '1', '--max-objects-per-namespace', '3'], { secure: true });
    caPem = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    admin = { token: readFileSync(join(dir, 'admin.token'), 'utf8').trim() };
  });

  after(async () => {
    await gateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After once a user spent their burst, and keeps other users served', async () => {
    const dave = { token: await userToken(dir, 'dave') };
    // Until the gateway sees the token, dave is refused with 401 (which spends no token: he is not yet known).
    await waitFor('dave known', async () => (await call(gateway.url, caPem, dave, 'GET', '/version')).status !== 401);
    const codes: number[] = [];
    let limited: Answer | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const r = await call(gateway.url, caPem, dave, 'GET', '/version');
      codes.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, `no 429 in ${codes.join(',')}`);
    assert.ok(Number(limited.headers['retry-after']) >= 1, String(limited.headers['retry-after']));
    const status = limited.body as { kind: string; reason: string; code: number; details?: { retryAfterSeconds?: number } };
    assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'TooManyRequests', 429]);
    assert.ok((status.details?.retryAfterSeconds ?? 0) >= 1);
    // Buckets are per user; system:masters is exempt.
    for (let i = 0; i < 5; i++) assert.equal((await call(gateway.url, caPem, admin, 'GET', '/version')).status, 200);
  });

  it('refuses a create past maxObjectsPerNamespace with 403 exceeded quota', async () => {
    assert.equal((await call(gateway.url, caPem, admin, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tiny' } })).status, 201);
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });
    for (const name of ['a', 'b', 'c']) assert.equal((await call(gateway.url, caPem, admin, 'POST', '/api/v1/namespaces/tiny/configmaps', cm(name))).status, 201);
    const over = await call(gateway.url, caPem, admin, 'POST', '/api/v1/namespaces/tiny/configmaps', cm('d'));
    assert.equal(over.status, 403, JSON.stringify(over.body));
    assert.match((over.body as { message: string }).message, /^configmaps "d" is forbidden: exceeded quota: max-objects-per-namespace, requested: count\/objects=1, used: count\/objects=3, limited: count\/objects=3$/);
    // Updates are not creates; another namespace has its own count.
    assert.equal((await call(gateway.url, caPem, admin, 'PATCH', '/api/v1/namespaces/tiny/configmaps/a', { data: { a: 'c' } }, 'application/merge-patch+json')).status, 200);
    assert.equal((await call(gateway.url, caPem, admin, 'POST', '/api/v1/namespaces/default/configmaps', cm('d'))).status, 201);
    // Room again after a delete.
    assert.equal((await call(gateway.url, caPem, admin, 'DELETE', '/api/v1/namespaces/tiny/configmaps/a')).status, 200);
    assert.equal((await call(gateway.url, caPem, admin, 'POST', '/api/v1/namespaces/tiny/configmaps', cm('d'))).status, 201);
  });
});
