/**
 * What a member's certificate can reach, over real gRPC with TLS on loopback: the gateway's
 * replicator and member server in process over a SQLite store, members joined with
 * bootstrap tokens and run as in production (MemberAgent + GatewayConnection over their own
 * store), and hand-driven gRPC clients holding a member's key for what a hostile member
 * would try. Nothing about TLS is mocked.
 */
import assert from 'node:assert/strict';
import { credentials as grpcCredentials, Metadata, status as GrpcStatus, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REASON_METADATA_KEY,
  ResourceRegistry,
  storeKey,
  type Cluster,
  type KubeObject,
  type ResourceInfo,
} from '../../apimachinery/index.js';
import type { Logger } from '../../controller/index.js';
import {
  certificateValidity,
  ConnectionState,
  GatewayConnection,
  joinGateway,
  loadMemberCredentials,
  MemberAgent,
  MemberCluster,
  memberPkiPaths,
  REFUSED_INITIAL_BACKOFF_MS,
  requestRenewedCertificate,
  type CertificateValidity,
  type GatewayConnectionOptions,
  type MemberCredentials,
} from '../../member-cluster/index.js';
import { FederationClient, federationService, type GatewayMessage, type MemberMessage, type RenewRequest, type RenewResponse } from '../../proto/index.js';
import {
  CLIENT_CERTIFICATE_ANNOTATION,
  clusterKey,
  createToken,
  GatewayPki,
  MemberServer,
  PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION,
  Replicator,
} from '../../replicator/index.js';
import { openStore, SqliteStore, type Store } from '../../store/index.js';
import { createMemberCsr } from '../../member-cluster/agent/join.js';
import { FakeClock } from '../fixtures/fake-clock.js';

const registry = new ResourceRegistry();
const R = (name: string): ResourceInfo => registry.resolve(name)!;

interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

function recordingLogger(lines: LogLine[]): Logger {
  return {
    debug() {},
    info: (fields, msg) => void lines.push({ level: 'info', fields, msg }),
    warn: (fields, msg) => void lines.push({ level: 'warn', fields, msg }),
    error: (fields, msg) => void lines.push({ level: 'error', fields, msg }),
  };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const capacityOf = (cpu: string) => () => ({ capacity: { cpu }, allocatable: { cpu }, available: { cpu }, nodes: { ready: 1, total: 1 }, services: [] });

/** A member as `fedgate member` runs it: its own store, the agent, the connection. */
class TestMember {
  readonly logs: LogLine[] = [];
  readonly states: ConnectionState[] = [];
  readonly renewed: CertificateValidity[] = [];
  store!: Store;
  agent!: MemberAgent;
  conn!: GatewayConnection;

  constructor(
    readonly name: string,
    readonly dataDir: string,
  ) {}

  async start(memberAddress: string, extra: Partial<GatewayConnectionOptions> = {}): Promise<void> {
    this.store = await openStore('sqlite::memory:');
    const logger = recordingLogger(this.logs);
    this.agent = new MemberAgent({ store: this.store, registry: MemberCluster.registry(), clusterName: this.name, capacity: capacityOf('4'), logger });
    const credentials = loadMemberCredentials(this.dataDir);
    this.conn = new GatewayConnection({
      memberAddress,
      clusterName: credentials.clusterName,
      credentials,
      onStream: (s) => this.agent.attach(s),
      lastAppliedSeq: () => this.agent.lastAppliedSeq,
      logger,
      onStateChange: (s) => this.states.push(s),
      onCertificateRenewed: (v) => this.renewed.push(v),
      ...extra,
    });
    this.conn.start();
  }

  async stop(): Promise<void> {
    this.conn?.stop();
    await this.conn?.renewalIdle();
    await this.agent?.stop();
    await this.store?.close();
  }

  /** The member's copy of a namespaced object, if it holds one. */
  async object(resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const r = MemberCluster.registry().resolve(resource)!;
    const kv = await this.store.get(storeKey(r, namespace, name));
    return kv ? (JSON.parse(kv.value) as KubeObject) : undefined;
  }
}

/** A hand-driven Connect with a member's key: what a hostile member could send. */
function rawConnect(address: string, caPem: string, creds: Pick<MemberCredentials, 'keyPem' | 'certPem'>) {
  const client = new FederationClient(address, grpcCredentials.createSsl(Buffer.from(caPem), Buffer.from(creds.keyPem), Buffer.from(creds.certPem)));
  const call = (client['connect'] as (m: Metadata) => ClientDuplexStream<MemberMessage, GatewayMessage>).call(client, new Metadata());
  const received: GatewayMessage[] = [];
  let accepted = false;
  call.on('metadata', () => (accepted = true));
  call.on('data', (m: GatewayMessage) => {
    received.push(m);
    // Acknowledge like a member would, so the session stays healthy.
    if (m.apply) call.write({ ack: { seq: m.apply.seq } } as MemberMessage);
  });
  const status = new Promise<{ code: number; details: string; reason?: string }>((resolve) => {
    call.on('error', (err: ServiceError) => resolve({ code: err.code, details: err.details, reason: err.metadata?.get(REASON_METADATA_KEY)?.[0] as string | undefined }));
    call.on('status', (s) => {
      if (s.code === GrpcStatus.OK) resolve({ code: s.code, details: s.details });
    });
  });
  return { call, received, status, accepted: () => accepted, close: () => client.close() };
}

/** A unary Renew with a member's key (or none) and any CSR. */
function rawRenew(address: string, caPem: string, creds: Pick<MemberCredentials, 'keyPem' | 'certPem'> | undefined, csrPem: string): Promise<{ code: number; details: string; res?: RenewResponse }> {
  const channel = creds ? grpcCredentials.createSsl(Buffer.from(caPem), Buffer.from(creds.keyPem), Buffer.from(creds.certPem)) : grpcCredentials.createSsl(Buffer.from(caPem));
  const client = new FederationClient(address, channel);
  return new Promise<{ code: number; details: string; res?: RenewResponse }>((resolve) => {
    client.makeUnaryRequest(
      federationService.renew.path,
      federationService.renew.requestSerialize,
      federationService.renew.responseDeserialize,
      { csrPem } as RenewRequest,
      { deadline: Date.now() + 10_000 },
      (err: ServiceError | null, res?: RenewResponse) => resolve(err ? { code: err.code, details: err.details } : { code: GrpcStatus.OK, details: '', res }),
    );
  }).finally(() => client.close());
}

describe('member isolation, certificate rotation and revocation (gRPC over TLS, e2e)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: SqliteStore;
  let pki: GatewayPki;
  let replicator: Replicator;
  let server: MemberServer;
  let gatewayLogs: LogLine[];
  const members: TestMember[] = [];
  const cleanups: (() => unknown)[] = [];

  async function put(resource: string, obj: KubeObject): Promise<void> {
    const key = storeKey(R(resource), obj.metadata.namespace, obj.metadata.name!);
    const kv = await store.get(key);
    const out = { ...obj, metadata: { uid: `uid-${obj.metadata.name}`, generation: 1, ...obj.metadata } };
    if (kv) await store.update(key, JSON.stringify({ ...out, status: (JSON.parse(kv.value) as KubeObject).status }), kv.modRevision);
    else await store.create(key, JSON.stringify(out));
  }
  const read = async <T = KubeObject>(resource: string, ns: string | undefined, name: string): Promise<T> =>
    JSON.parse((await store.get(storeKey(R(resource), ns, name)))!.value) as T;
  const cluster = (name: string): Promise<Cluster> => read<Cluster>('clusters.cluster.fedgate.io', undefined, name);
  const ready = (c: Cluster) => c.status?.conditions?.find((x) => x.type === 'Ready');

  const policy = (name: string, selectors: object[], clusters: string[]): KubeObject => ({
    apiVersion: 'policy.fedgate.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name, namespace: 'shop' },
    spec: { resourceSelectors: selectors, placement: { clusterAffinity: { clusterNames: clusters } } },
  });
  const configMap = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web-b', namespace: 'shop', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } },
  };

  async function startGateway(memberCertificateLifetimeMs?: number): Promise<void> {
    gatewayLogs = [];
    const logger = recordingLogger(gatewayLogs);
    replicator = new Replicator({ store, registry, logger, templateStatusIntervalMs: 50, clusterStatusIntervalMs: 100 });
    await replicator.start();
    server = new MemberServer({
      pki,
      store,
      handler: replicator.streamHandler,
      joinListen: { host: '127.0.0.1', port: 0 },
      memberListen: { host: '127.0.0.1', port: 0 },
      memberCertificateLifetimeMs,
      helloTimeoutMs: 2_000,
      stopGraceMs: 1_000,
      logger,
    });
    await server.start();
  }

  /** Joins `name` with a fresh token and returns the member (not started). */
  async function join(name: string, dataDir = path.join(dir, 'members', name)): Promise<TestMember> {
    const t = await createToken(store, { ttlSeconds: 600 });
    await joinGateway({ gatewayJoinAddress: server.joinAddress, token: t.token, clusterName: name, dataDir, caHash: pki.caHash });
    const m = new TestMember(name, dataDir);
    members.push(m);
    return m;
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-isolation-e2e-'));
    store = SqliteStore.open({ path: path.join(dir, 'fed.db') });
    pki = await GatewayPki.loadOrCreate(path.join(dir, 'gateway'), { hosts: [] });
    await put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await put('configmaps', configMap('cfg-a', { owner: 'a' }));
    await put('configmaps', configMap('cfg-b', { owner: 'b' }));
    await put('deployments.apps', deployment);
    await put('propagationpolicies.policy.fedgate.io', policy('only-a', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg-a' }], ['cluster-a']));
    await put(
      'propagationpolicies.policy.fedgate.io',
      policy('only-b', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg-b' }, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-b' }], ['cluster-b']),
    );
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      console.log('--- gateway ---\n' + gatewayLogs.slice(-25).map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`).join('\n'));
      for (const m of members) console.log(`--- ${m.name} ---\n` + m.logs.slice(-10).map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`).join('\n'));
    }
    for (const c of cleanups.splice(0).reverse()) await c();
    for (const m of members.splice(0)) await m.stop();
    await server?.stop();
    await replicator?.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a member gets only its own cluster’s work, keyed by its certificate', async () => {
    await startGateway();
    const a = await join('cluster-a');
    const b = await join('cluster-b');
    await a.start(server.memberAddress);
    await b.start(server.memberAddress);
    await until(async () => (await a.object('configmaps', 'shop', 'cfg-a')) !== undefined, 'cluster-a got cfg-a');
    await until(async () => (await b.object('configmaps', 'shop', 'cfg-b')) !== undefined && (await b.object('deployments.apps', 'shop', 'web-b')) !== undefined, 'cluster-b got its work');
    await Promise.all([a.agent.idle(), b.agent.idle()]);
    assert.equal(await a.object('configmaps', 'shop', 'cfg-b'), undefined);
    assert.equal(await a.object('deployments.apps', 'shop', 'web-b'), undefined);
    assert.equal(await b.object('configmaps', 'shop', 'cfg-a'), undefined);
    assert.equal(server.connectedCertificate('cluster-a')?.cluster, 'cluster-a');
    assert.equal(server.connectedCertificate('cluster-a')?.serial, certificateValidity(loadMemberCredentials(a.dataDir).certPem).serial);
    assert.deepEqual(server.connectedClusters(), ['cluster-a', 'cluster-b']);
  });

  it("refuses cluster A's certificate acting as cluster B: Hello, renewal CSR, and a member configured with B's name", async () => {
    await startGateway();
    const a = await join('cluster-a');
    const b = await join('cluster-b');
    await b.start(server.memberAddress);
    await until(() => b.conn.state === ConnectionState.Connected, 'cluster-b connected');
    const bSerial = server.connectedCertificate('cluster-b')?.serial;
    const aCreds = loadMemberCredentials(a.dataDir);
    const bBefore = await cluster('cluster-b');
    const aBefore = await cluster('cluster-a');

    // A raw stream with A's key saying Hello as B.
    const raw = rawConnect(server.memberAddress, pki.caPem, aCreds);
    cleanups.push(raw.close);
    raw.call.write({ hello: { clusterName: 'cluster-b' } } as MemberMessage);
    const s = await raw.status;
    assert.equal(s.code, GrpcStatus.PERMISSION_DENIED);
    assert.equal(s.reason, 'Forbidden');
    assert.equal(s.details, 'certificate is for cluster cluster-a, not cluster-b');
    assert.equal(raw.accepted(), false);
    assert.equal(raw.received.length, 0, 'not one message of B’s work');

    // A's key asking for a certificate for B.
    const csrForB = await createMemberCsr('cluster-b');
    const r = await rawRenew(server.memberAddress, pki.caPem, aCreds, csrForB.csrPem);
    assert.equal(r.code, GrpcStatus.PERMISSION_DENIED);
    assert.equal(r.details, 'certificate is for cluster cluster-a, not cluster-b');

    // A real member configured with B's name but holding A's certificate.
    const confused = new GatewayConnection({
      memberAddress: server.memberAddress,
      clusterName: 'cluster-b',
      credentials: { ...aCreds, dataDir: undefined },
      onStream: () => assert.fail('no stream expected'),
      logger: recordingLogger([]),
      clock: new FakeClock(Date.now()),
      random: () => 0,
    });
    cleanups.push(() => confused.stop());
    confused.start();
    await until(() => confused.state === ConnectionState.Backoff, 'the confused member was refused');

    // B was never disturbed, and neither Cluster changed.
    assert.equal(b.conn.state, ConnectionState.Connected);
    assert.equal(server.connectedCertificate('cluster-b')?.serial, bSerial);
    assert.deepEqual(server.connectedClusters(), ['cluster-b']);
    assert.deepEqual((await cluster('cluster-b')).metadata.annotations, bBefore.metadata.annotations);
    assert.deepEqual((await cluster('cluster-a')).metadata.annotations, aBefore.metadata.annotations);
    assert.ok(gatewayLogs.some((l) => l.msg === 'connect refused' && l.fields['cluster'] === 'cluster-a' && l.fields['code'] === GrpcStatus.PERMISSION_DENIED));
    assert.ok(gatewayLogs.some((l) => l.msg === 'renew refused' && l.fields['cluster'] === 'cluster-a' && l.fields['code'] === GrpcStatus.PERMISSION_DENIED));
  });

  it('Renew needs the member certificate: refused on the join port and without a client certificate', async () => {
    await startGateway();
    const a = await join('cluster-a');
    const csr = await createMemberCsr('cluster-a');
    const onJoinPort = await rawRenew(server.joinAddress, pki.caPem, undefined, csr.csrPem);
    assert.equal(onJoinPort.code, GrpcStatus.UNAUTHENTICATED);
    assert.match(onJoinPort.details, /call it on the member port/);
    const noCert = await rawRenew(server.memberAddress, pki.caPem, undefined, csr.csrPem);
    assert.notEqual(noCert.code, GrpcStatus.OK, 'the member port requires a client certificate');
    const ok = await rawRenew(server.memberAddress, pki.caPem, loadMemberCredentials(a.dataDir), csr.csrPem);
    assert.equal(ok.code, GrpcStatus.OK, ok.details);
    assert.equal(pki.clusterNameOf(ok.res?.certificatePem ?? ''), 'cluster-a');
  });

  it("status and heartbeats reach only the sender's own Cluster and placements; reports about others are ignored and logged", async () => {
    await startGateway();
    const a = await join('cluster-a');
    const b = await join('cluster-b');
    await b.start(server.memberAddress);
    await until(async () => ready(await cluster('cluster-b'))?.status === 'True', 'cluster-b Ready');
    await until(async () => {
      const s = (await read('deployments.apps', 'shop', 'web-b')).status as { clusters?: { cluster: string; synced?: boolean }[] } | undefined;
      return s?.clusters?.length === 1;
    }, 'web-b status from cluster-b');

    // Cluster A's member turns hostile: it connects as itself, then reports about B's things.
    const evil = rawConnect(server.memberAddress, pki.caPem, loadMemberCredentials(a.dataDir));
    cleanups.push(evil.close);
    evil.call.write({ hello: { clusterName: 'cluster-a' } } as MemberMessage);
    await until(() => evil.received.some((m) => m.syncEnd), 'cluster-a synced');
    const status = (ref: object, body: unknown): void =>
      void evil.call.write({ status: { ref, status: new TextEncoder().encode(JSON.stringify(body)), generation: 1, observedGeneration: 1 } } as MemberMessage);
    status({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web-b' }, { replicas: 999, readyReplicas: 999, availableReplicas: 999, updatedReplicas: 999, observedGeneration: 1 });
    status({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg-b' }, { hijacked: true });
    status({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', namespace: '', name: 'cluster-b' }, { conditions: [{ type: 'Ready', status: 'False' }], capacity: { cpu: '666' } });
    // Its own heartbeat, with a capacity nobody else reports.
    evil.call.write({ heartbeat: { sentUnixMs: Date.now(), capacity: { cpu: '777' }, allocatable: { cpu: '777' }, available: { cpu: '777' }, nodesReady: 1, nodesTotal: 1 } } as MemberMessage);

    const ignored = () => gatewayLogs.filter((l) => l.msg === 'status report ignored: the object is not placed on the reporting cluster');
    await until(() => ignored().length === 3, 'three reports ignored and logged');
    assert.deepEqual(ignored().map((l) => [l.fields['cluster'], l.fields['object']]), [
      ['cluster-a', 'apps/v1:Deployment:shop:web-b'],
      ['cluster-a', 'v1:ConfigMap:shop:cfg-b'],
      ['cluster-a', 'cluster.fedgate.io/v1alpha1:Cluster::cluster-b'],
    ]);
    // The heartbeat went to A's own Cluster.
    await until(async () => (await cluster('cluster-a')).status?.capacity?.['cpu'] === '777', "cluster-a's own heartbeat recorded");
    await replicator.flushStatus();

    const webB = (await read('deployments.apps', 'shop', 'web-b')).status as { clusters: { cluster: string }[]; readyReplicas?: number };
    assert.deepEqual(webB.clusters.map((c) => c.cluster), ['cluster-b']);
    assert.ok(!JSON.stringify(webB).includes('999'), JSON.stringify(webB));
    const cfgB = await read('configmaps', 'shop', 'cfg-b');
    assert.ok(!JSON.stringify(cfgB).includes('hijacked'));
    const clusterB = await cluster('cluster-b');
    assert.equal(ready(clusterB)?.status, 'True');
    assert.equal(clusterB.status?.capacity?.['cpu'], '4');
    // Only the forged values count: uids and certificate serials may contain these digits by chance.
    assert.ok(!/"(666|777)"/.test(JSON.stringify(clusterB.status)), JSON.stringify(clusterB.status));
  });

  it('rotates certificates in band before expiry: the member stays connected and serving, new connections use the new serial', async function () {
    // Four-second certificates: renewed about every 2.5 s, expired within 4 s if not.
    await startGateway(4_000);
    const a = await join('cluster-a');
    const original = loadMemberCredentials(a.dataDir);
    const originalSerial = pki.memberCertificateOf(original.certPem)!.serial;
    await a.start(server.memberAddress);
    await until(async () => ready(await cluster('cluster-a'))?.status === 'True', 'cluster-a Ready');
    await until(async () => (await a.object('configmaps', 'shop', 'cfg-a')) !== undefined, 'cfg-a applied');
    const readySince = ready(await cluster('cluster-a'))?.lastTransitionTime;

    await until(() => a.renewed.length >= 3, 'three renewals', 30_000);
    // Rotation goes on while the test looks: pin what it checks to the renewals seen so far.
    const renewals = a.renewed.slice();
    await until(() => server.connectedCertificate('cluster-a')?.serial === renewals.at(-1)!.serial || a.renewed.length > renewals.length + 1, 'the gateway sees the newest serial');

    // Every renewal was used by a new connection, in order; the member never dropped to Backoff.
    const connectedSerials = gatewayLogs.filter((l) => l.msg === 'member connected' && l.fields['cluster'] === 'cluster-a').map((l) => l.fields['serial']);
    assert.deepEqual(connectedSerials.slice(0, renewals.length + 1), [originalSerial, ...renewals.map((v) => v.serial)]);
    assert.ok(!a.states.includes(ConnectionState.Backoff), `states: ${a.states.join(' → ')}`);
    assert.equal(a.conn.state, ConnectionState.Connected);
    assert.ok(Date.now() > certificateValidity(original.certPem).notAfter, 'the member outlived its first certificate');
    // Cluster-a stayed Ready the whole time (no transition since before the rotations).
    const c = await cluster('cluster-a');
    assert.equal(ready(c)?.status, 'True');
    assert.equal(ready(c)?.lastTransitionTime, readySince);
    // The data directory holds the newest pair; the gateway records it, and only it.
    const seen = a.renewed.length;
    const onDisk = loadMemberCredentials(a.dataDir);
    assert.ok(a.renewed.slice(seen - 1).some((v) => v.serial === certificateValidity(onDisk.certPem).serial), 'the last renewal is on disk');
    const keys = new Set([original.keyPem, onDisk.keyPem]);
    assert.equal(keys.size, 2, 'a new key pair');
    await until(async () => {
      const annotations = (await cluster('cluster-a')).metadata.annotations ?? {};
      const current = pki.memberCertificateOf(loadMemberCredentials(a.dataDir).certPem)?.fingerprint;
      return annotations[CLIENT_CERTIFICATE_ANNOTATION] === current && annotations[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION] === undefined;
    }, 'the Cluster accepts exactly the certificate on disk once the member connected with it');

    // Still serving: a change on the gateway reaches the member.
    await put('configmaps', { ...configMap('cfg-a', { owner: 'a', version: '2' }), metadata: { name: 'cfg-a', namespace: 'shop', generation: 2 } });
    await until(async () => ((await a.object('configmaps', 'shop', 'cfg-a'))?.['data'] as Record<string, string> | undefined)?.['version'] === '2', 'update after rotations');

    // The first certificate is refused (retired, and by now expired too).
    const old = rawConnect(server.memberAddress, pki.caPem, original);
    cleanups.push(old.close);
    old.call.write({ hello: { clusterName: 'cluster-a' } } as MemberMessage);
    const s = await old.status;
    assert.notEqual(s.code, GrpcStatus.OK);
    assert.equal(old.received.length, 0);

    // A restarted member connects with what it stored last.
    await a.stop();
    const restarted = new TestMember('cluster-a', a.dataDir);
    members.push(restarted);
    const storedSerial = pki.memberCertificateOf(loadMemberCredentials(a.dataDir).certPem)!.serial;
    await restarted.start(server.memberAddress);
    await until(() => restarted.conn.state === ConnectionState.Connected, 'restarted member connected');
    const connectedWith = server.connectedCertificate('cluster-a')!.serial;
    assert.ok(connectedWith === storedSerial || restarted.renewed.some((v) => v.serial === connectedWith), `connected with ${connectedWith}`);
  });

  it('without rotation, the gateway closes the stream when the certificate expires and the member backs off', async () => {
    await startGateway(3_000);
    const a = await join('cluster-a');
    await a.start(server.memberAddress, { rotateCertificate: false, random: () => 0 });
    await until(() => a.conn.state === ConnectionState.Connected, 'connected');
    await until(() => a.conn.state === ConnectionState.Backoff, 'closed at expiry', 10_000);
    const refusal = a.logs.find((l) => l.level === 'error' && l.msg.startsWith('the gateway refused this member'));
    assert.ok(refusal, 'the member says why and what to do');
    assert.equal(refusal.fields['expired'], true);
    assert.equal(refusal.fields['retryInMs'], REFUSED_INITIAL_BACKOFF_MS);
    assert.ok(gatewayLogs.some((l) => l.msg === 'member stream closed' && /expired/.test(String(l.fields['err']))));
  });

  it('an unjoined member is disconnected and refused from then on, backs off, and can join again with a new token', async () => {
    await startGateway();
    const a = await join('cluster-a');
    const clock = new FakeClock(Date.now());
    await a.start(server.memberAddress, { clock, random: () => 0 });
    await until(() => a.conn.state === ConnectionState.Connected, 'connected');
    await until(async () => (await a.object('configmaps', 'shop', 'cfg-a')) !== undefined, 'cfg-a applied');
    const oldCreds = loadMemberCredentials(a.dataDir);

    // `fedgate unjoin` deletes the Cluster.
    await store.delete(clusterKey('cluster-a'));
    await until(() => a.conn.state === ConnectionState.Backoff, 'the open stream was closed');
    const refusals = () => a.logs.filter((l) => l.level === 'error' && l.msg.startsWith('the gateway refused this member'));
    assert.equal(refusals().length, 1);
    assert.match(String(refusals()[0]!.fields['err']), /^cluster cluster-a was unjoined; its member certificates are revoked$/);
    assert.match(refusals()[0]!.msg, /remove .*pki and join again with a new bootstrap token/);
    // Not hot: the next attempt waits 5 s, then 10 s.
    assert.equal(clock.nextAt()! - clock.now(), REFUSED_INITIAL_BACKOFF_MS);
    await clock.advance(REFUSED_INITIAL_BACKOFF_MS);
    await until(() => refusals().length === 2, 'second attempt refused');
    assert.match(String(refusals()[1]!.fields['err']), /^cluster cluster-a is not joined \(no Cluster object\); join it again$/);
    assert.equal(refusals()[1]!.fields['retryInMs'], 2 * REFUSED_INITIAL_BACKOFF_MS);
    assert.ok(gatewayLogs.some((l) => l.msg === 'connect refused' && l.fields['cluster'] === 'cluster-a' && l.fields['code'] === GrpcStatus.PERMISSION_DENIED));
    // Its certificate cannot buy a new one either.
    await assert.rejects(
      (async () => {
        const client = new FederationClient(server.memberAddress, grpcCredentials.createSsl(Buffer.from(pki.caPem), Buffer.from(oldCreds.keyPem), Buffer.from(oldCreds.certPem)));
        try {
          await requestRenewedCertificate(client, oldCreds, server.memberAddress);
        } finally {
          client.close();
        }
      })(),
      (err: unknown) => err instanceof Error && /cluster cluster-a is not joined/.test(err.message),
    );
    await a.stop();

    // Join again: the old credentials go, a new token buys new ones.
    fs.rmSync(memberPkiPaths(a.dataDir).dir, { recursive: true });
    const again = await join('cluster-a', a.dataDir);
    await again.start(server.memberAddress);
    await until(() => again.conn.state === ConnectionState.Connected, 'joined again and connected');
    await until(async () => (await again.object('configmaps', 'shop', 'cfg-a')) !== undefined, 'work flows again');
    // The certificate from before the unjoin stays refused.
    const stale = rawConnect(server.memberAddress, pki.caPem, oldCreds);
    cleanups.push(stale.close);
    stale.call.write({ hello: { clusterName: 'cluster-a' } } as MemberMessage);
    const s = await stale.status;
    assert.equal(s.code, GrpcStatus.PERMISSION_DENIED);
    assert.match(s.details, /was revoked/);
    assert.equal(again.conn.state, ConnectionState.Connected);
  });
});
