/**
 * Joining and connecting over real gRPC with TLS on loopback: the gateway's join and member
 * servers in process, members joining with tokens, streams flowing both ways.
 */
import assert from 'node:assert/strict';
import { credentials as grpcCredentials, Metadata, status as GrpcStatus, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusError, StatusReason } from '../../apimachinery/index.js';
import { FederationClient, type GatewayMessage, type MemberMessage } from '../../proto/index.js';
import type { MemberStream } from '../../replicator/index.js';
import { clusterKey, createToken } from '../../replicator/join/index.js';
import { GatewayPki } from '../../replicator/pki/index.js';
import { MemberServer } from '../../replicator/transport/index.js';
import {
  ConnectionState,
  GatewayConnection,
  joinGateway,
  loadMemberCredentials,
  type JoinOptions,
  type MemberCredentials,
} from '../../member-cluster/agent/transport.js';
import type { GatewayStream } from '../../member-cluster/agent/gateway-stream.js';
import { SqliteStore } from '../../store/index.js';

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function refused(reason: string, message: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.reason, reason, err.message);
    assert.match(err.message, message);
    return true;
  };
}

/** Collects accepted member streams. */
class Streams {
  readonly all: MemberStream[] = [];
  readonly messages = new Map<MemberStream, MemberMessage[]>();
  attach(stream: MemberStream): void {
    this.all.push(stream);
    const got: MemberMessage[] = [];
    this.messages.set(stream, got);
    stream.onMessage((m) => got.push(m));
  }
  last(): MemberStream {
    const s = this.all.at(-1);
    assert.ok(s, 'no stream');
    return s;
  }
}

/** A raw Connect with the given client certificate (or none), for refusal cases. */
function rawConnect(address: string, caPem: string, creds?: MemberCredentials): { call: ClientDuplexStream<MemberMessage, GatewayMessage>; status: Promise<{ code: number; details: string }>; close(): void } {
  const channel = creds
    ? grpcCredentials.createSsl(Buffer.from(caPem), Buffer.from(creds.keyPem), Buffer.from(creds.certPem))
    : grpcCredentials.createSsl(Buffer.from(caPem));
  const client = new FederationClient(address, channel);
  const call = (client['connect'] as (m: Metadata) => ClientDuplexStream<MemberMessage, GatewayMessage>).call(client, new Metadata());
  const status = new Promise<{ code: number; details: string }>((resolve) => {
    call.on('error', (err: ServiceError) => resolve({ code: err.code, details: err.details }));
    call.on('status', (s) => {
      if (s.code === GrpcStatus.OK) resolve({ code: s.code, details: s.details });
    });
  });
  call.on('data', () => {});
  return { call, status, close: () => client.close() };
}

describe('join and connect over gRPC TLS (e2e)', function () {
  this.timeout(60_000);
  let dir: string;
  let store: SqliteStore;
  let pki: GatewayPki;
  let server: MemberServer;
  let streams: Streams;
  const cleanups: (() => unknown)[] = [];

  const joinOpts = (name: string, token: string, extra: Partial<JoinOptions> = {}): JoinOptions => ({
    gatewayJoinAddress: server.joinAddress,
    token,
    clusterName: name,
    dataDir: path.join(dir, 'members', name),
    caHash: pki.caHash,
    ...extra,
  });

  async function startServer(memberPort = 0): Promise<void> {
    server = new MemberServer({
      pki,
      store,
      handler: streams,
      joinListen: { host: '127.0.0.1', port: 0 },
      memberListen: { host: '127.0.0.1', port: memberPort },
      helloTimeoutMs: 2_000,
      stopGraceMs: 1_000,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await server.start();
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-join-e2e-'));
    store = SqliteStore.open({ path: path.join(dir, 'fed.db') });
    pki = await GatewayPki.loadOrCreate(path.join(dir, 'gateway'), { hosts: [] });
    streams = new Streams();
    await startServer();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await server.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('joins with a token and the CA hash, and stores the credentials', async () => {
    const t = await createToken(store, { ttlSeconds: 600 });
    const res = await joinGateway(joinOpts('eu-west', t.token, { region: 'eu', labels: { tier: 'gold' }, externalAddresses: ['127.0.20.1'] }));
    assert.equal(res.clusterName, 'eu-west');
    assert.equal(pki.clusterNameOf(res.certPem), 'eu-west');
    assert.equal(res.caPem.trim(), pki.caPem.trim());
    const mode = fs.statSync(res.paths.key).mode & 0o777;
    assert.equal(mode, 0o600);
    const loaded = loadMemberCredentials(path.join(dir, 'members', 'eu-west'));
    assert.equal(loaded.clusterName, 'eu-west');
    assert.equal(loaded.certPem, res.certPem);
    const cluster = JSON.parse((await store.get(clusterKey('eu-west')))?.value ?? '{}') as { spec: unknown; metadata: { labels: unknown } };
    assert.deepEqual(cluster.spec, { region: 'eu', endpoints: ['127.0.20.1'] });
    assert.deepEqual(cluster.metadata.labels, { tier: 'gold' });
  });

  it('joins with a pinned CA file too', async () => {
    const t = await createToken(store, { ttlSeconds: 600 });
    const res = await joinGateway(joinOpts('ca-file', t.token, { caHash: undefined, caPem: pki.caPem }));
    assert.equal(res.clusterName, 'ca-file');
  });

  it('refuses a wrong, an expired and a reused token with clear errors', async () => {
    await assert.rejects(
      joinGateway(joinOpts('a', 'abcdef.0123456789abcdef')),
      refused(StatusReason.Unauthorized, /^bootstrap token is invalid or has expired$/),
    );
    const expired = await createToken(store, { ttlSeconds: 1, now: new Date(Date.now() - 5_000) });
    await assert.rejects(joinGateway(joinOpts('b', expired.token)), refused(StatusReason.Unauthorized, /invalid or has expired/));
    const t = await createToken(store, { ttlSeconds: 600 });
    await joinGateway(joinOpts('c', t.token));
    await assert.rejects(joinGateway(joinOpts('d', t.token)), refused(StatusReason.Unauthorized, /invalid or has expired/));
    // Nothing was stored for the refused joins.
    assert.equal(fs.existsSync(path.join(dir, 'members', 'a', 'pki', 'member.crt')), false);
  });

  it('lets only one of two concurrent joins with one token win', async () => {
    const t = await createToken(store, { ttlSeconds: 600 });
    const results = await Promise.allSettled([joinGateway(joinOpts('x1', t.token)), joinGateway(joinOpts('x2', t.token))]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    refused(StatusReason.Unauthorized, /bootstrap token (was already used|is invalid)/)(lost?.reason);
  });

  it('refuses a second join of a joined cluster name', async () => {
    await joinGateway(joinOpts('eu-west', (await createToken(store, { ttlSeconds: 600 })).token));
    const t2 = await createToken(store, { ttlSeconds: 600 });
    await assert.rejects(
      joinGateway(joinOpts('eu-west', t2.token, { dataDir: path.join(dir, 'members', 'eu-west-2') })),
      refused(StatusReason.AlreadyExists, /^cluster eu-west is already joined; unjoin it first$/),
    );
  });

  it('refuses a wrong CA hash before sending the token, and needs a CA at all', async () => {
    const t = await createToken(store, { ttlSeconds: 600 });
    await assert.rejects(
      joinGateway(joinOpts('a', t.token, { caHash: `sha256:${'0'.repeat(64)}` })),
      refused(StatusReason.Forbidden, /does not present a CA with hash sha256:0{64}/),
    );
    await assert.rejects(joinGateway(joinOpts('a', t.token, { caHash: 'md5:abc' })), refused(StatusReason.BadRequest, /--ca-hash must be/));
    await assert.rejects(joinGateway(joinOpts('a', t.token, { caHash: undefined })), refused(StatusReason.BadRequest, /CA is required/));
    // The token was never presented, so it still works.
    await joinGateway(joinOpts('a', t.token));
  });

  it('fails quickly and clearly when the gateway is unreachable', async () => {
    const started = Date.now();
    await assert.rejects(
      joinGateway(joinOpts('a', 'abcdef.0123456789abcdef', { gatewayJoinAddress: '127.0.0.1:9', timeoutMs: 3_000 })),
      refused(StatusReason.ServiceUnavailable, /cannot reach the gateway at 127\.0\.0\.1:9/),
    );
    assert.ok(Date.now() - started < 3_000);
  });

  it('connects with the member certificate: Hello accepted, messages both ways, backpressure and close', async () => {
    const joined = await joinGateway(joinOpts('eu-west', (await createToken(store, { ttlSeconds: 600 })).token));
    const received: GatewayMessage[] = [];
    let memberSide: GatewayStream | undefined;
    const memberClose: { done: boolean; err?: Error } = { done: false };
    const conn = new GatewayConnection({
      memberAddress: server.memberAddress,
      clusterName: 'eu-west',
      credentials: joined,
      lastAppliedSeq: () => 7,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      onStream: (s) => {
        memberSide = s;
        s.onMessage((m) => received.push(m));
        s.onClose((err) => Object.assign(memberClose, { done: true, err }));
      },
    });
    cleanups.push(() => conn.stop());
    conn.start();
    await until(() => conn.state === ConnectionState.Connected && streams.all.length === 1, 'connected');
    const gw = streams.last();
    assert.equal(gw.cluster, 'eu-west');
    await until(() => (streams.messages.get(gw)?.length ?? 0) >= 1, 'hello');
    const hello = streams.messages.get(gw)?.[0];
    assert.equal(hello?.body, 'hello');
    assert.equal(hello?.hello?.clusterName, 'eu-west');
    assert.equal(hello?.hello?.lastAppliedSeq, 7);
    assert.deepEqual(server.connectedClusters(), ['eu-west']);

    // member → gateway
    memberSide?.send({ ack: { seq: 1, observedGeneration: 2 } });
    await until(() => (streams.messages.get(gw)?.length ?? 0) >= 2, 'ack');
    assert.equal(streams.messages.get(gw)?.[1]?.ack?.seq, 1);

    // gateway → member, a burst larger than the write buffer: send() reports a full buffer,
    // onDrain fires, and every message arrives in order.
    let drained = 0;
    gw.onDrain(() => drained++);
    const big = Buffer.alloc(64 * 1024, 120);
    let refusedWrites = 0;
    for (let seq = 1; seq <= 200; seq++) if (!gw.send({ apply: { seq, object: big } })) refusedWrites++;
    assert.ok(refusedWrites > 0, 'send never reported backpressure');
    await until(() => received.length === 200, `200 applies (got ${received.length})`);
    assert.deepEqual(received.map((m) => m.apply?.seq), Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(drained > 0, 'onDrain never fired');

    // The gateway closes with a reason; the member sees it, and reconnects.
    const gatewayClose: { done: boolean; err?: Error } = { done: false };
    gw.onClose((err) => Object.assign(gatewayClose, { done: true, err }));
    gw.close(new StatusError(StatusReason.ServiceUnavailable, 'go away'));
    await until(() => memberClose.done, 'member saw the close');
    assert.ok(memberClose.err instanceof StatusError);
    assert.equal(memberClose.err.reason, StatusReason.ServiceUnavailable);
    assert.equal(memberClose.err.message, 'go away');
    assert.ok(gatewayClose.done && gatewayClose.err instanceof Error);
    await until(() => streams.all.length === 2 && conn.state === ConnectionState.Connected, 'reconnected');

    // The member closes; the gateway sees it.
    const second = streams.last();
    let secondClosed = false;
    second.onClose(() => (secondClosed = true));
    memberSide?.close();
    await until(() => secondClosed, 'gateway saw the member close');
  });

  it('refuses a Connect without a client certificate, and Connect on the join port', async () => {
    const noCert = rawConnect(server.memberAddress, pki.caPem);
    cleanups.push(noCert.close);
    noCert.call.write({ hello: { clusterName: 'eu-west' } } as MemberMessage);
    const s1 = await noCert.status;
    assert.notEqual(s1.code, GrpcStatus.OK);
    assert.ok([GrpcStatus.UNAVAILABLE, GrpcStatus.UNAUTHENTICATED].includes(s1.code), `code ${s1.code}: ${s1.details}`);

    const joinPort = rawConnect(server.joinAddress, pki.caPem);
    cleanups.push(joinPort.close);
    joinPort.call.write({ hello: { clusterName: 'eu-west' } } as MemberMessage);
    const s2 = await joinPort.status;
    assert.equal(s2.code, GrpcStatus.UNAUTHENTICATED);
    assert.match(s2.details, /client certificate/);
    assert.equal(streams.all.length, 0);
  });

  it("refuses cluster A's certificate saying Hello as cluster B, and a first message that is not Hello", async () => {
    const a = await joinGateway(joinOpts('cluster-a', (await createToken(store, { ttlSeconds: 600 })).token));
    await joinGateway(joinOpts('cluster-b', (await createToken(store, { ttlSeconds: 600 })).token));
    const c = rawConnect(server.memberAddress, pki.caPem, a);
    cleanups.push(c.close);
    c.call.write({ hello: { clusterName: 'cluster-b' } } as MemberMessage);
    const s = await c.status;
    assert.equal(s.code, GrpcStatus.PERMISSION_DENIED);
    assert.equal(s.details, 'certificate is for cluster cluster-a, not cluster-b');

    const d = rawConnect(server.memberAddress, pki.caPem, a);
    cleanups.push(d.close);
    d.call.write({ ack: { seq: 1 } } as MemberMessage);
    const s2 = await d.status;
    assert.equal(s2.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(s2.details, /first message must be Hello/);
    assert.equal(streams.all.length, 0);
  });

  it('refuses the old certificate after the Cluster object is deleted', async () => {
    const creds = await joinGateway(joinOpts('gone', (await createToken(store, { ttlSeconds: 600 })).token));
    const ok = rawConnect(server.memberAddress, pki.caPem, creds);
    cleanups.push(ok.close);
    ok.call.write({ hello: { clusterName: 'gone' } } as MemberMessage);
    await until(() => streams.all.length === 1, 'accepted before unjoin');
    ok.call.cancel();

    await store.delete(clusterKey('gone'));
    const c = rawConnect(server.memberAddress, pki.caPem, creds);
    cleanups.push(c.close);
    c.call.write({ hello: { clusterName: 'gone' } } as MemberMessage);
    const s = await c.status;
    assert.equal(s.code, GrpcStatus.PERMISSION_DENIED);
    assert.match(s.details, /cluster gone is not joined/);
    assert.equal(streams.all.length, 1);
  });

  it('replaces an older stream of the same cluster with a newer one', async () => {
    const creds = await joinGateway(joinOpts('dup', (await createToken(store, { ttlSeconds: 600 })).token));
    const first = rawConnect(server.memberAddress, pki.caPem, creds);
    cleanups.push(first.close);
    first.call.write({ hello: { clusterName: 'dup' } } as MemberMessage);
    await until(() => streams.all.length === 1, 'first accepted');
    const second = rawConnect(server.memberAddress, pki.caPem, creds);
    cleanups.push(second.close);
    second.call.write({ hello: { clusterName: 'dup' } } as MemberMessage);
    const s = await first.status;
    assert.equal(s.code, GrpcStatus.ABORTED);
    assert.match(s.details, /replaced by a newer stream/);
    assert.equal(streams.all.length, 2);
    assert.deepEqual(server.connectedClusters(), ['dup']);
    second.call.cancel();
  });

  it('reconnects a GatewayConnection after the server restarts', async () => {
    const creds = await joinGateway(joinOpts('eu-west', (await createToken(store, { ttlSeconds: 600 })).token));
    const states: ConnectionState[] = [];
    const conn = new GatewayConnection({
      memberAddress: server.memberAddress,
      clusterName: 'eu-west',
      credentials: creds,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      onStream: () => {},
      onStateChange: (s) => states.push(s),
    });
    cleanups.push(() => conn.stop());
    conn.start();
    await until(() => conn.state === ConnectionState.Connected, 'connected');
    const port = Number(server.memberAddress.split(':').pop());
    await server.stop();
    await until(() => conn.state === ConnectionState.Backoff || conn.state === ConnectionState.Connecting, 'noticed the restart');
    const before = streams.all.length;
    await startServer(port);
    await until(() => conn.state === ConnectionState.Connected && streams.all.length > before, 'reconnected', 15_000);
    assert.ok(states.includes(ConnectionState.Backoff));
    assert.equal(conn.consecutiveFailures, 0);
    conn.stop();
    assert.equal(conn.state, ConnectionState.Stopped);
  });
});
