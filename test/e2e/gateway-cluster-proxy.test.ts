/**
 * What the gateway's `clusters/NAME/proxy` sends a member and hands back, byte for byte: a
 * gateway in this process (SQLite, plain HTTP, no authentication) and a recording HTTP
 * server on loopback standing in for a member's `--insecure-http` API. The TLS side (CA
 * bundle, cluster name in the certificate, the gateway's client certificate) is covered by
 * member-api-security.test.ts with real processes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../../gateway/index.js';
import { openStore, type Store } from '../../store/index.js';

const CLUSTERS = '/apis/cluster.fedgate.io/v1alpha1/clusters';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('gateway cluster proxy: what reaches the member and what comes back', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  let gateway: Gateway;
  let member: http.Server;
  let memberUrl: string;
  const seen: Seen[] = [];
  /** Open streaming responses of the fake member, to see that a hang-up reaches it. */
  const streams = new Set<http.ServerResponse>();
  let streamClosed: Promise<void> = Promise.resolve();

  before(async () => {
    member = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url?.startsWith('/stream')) {
          // Headers at once, then a line now and then until the client goes away.
          res.writeHead(200, { 'content-type': 'text/plain', connection: 'x-private', 'x-private': 'hop', 'x-member': 'eu-west' });
          res.write('first\n');
          streams.add(res);
          const timer = setInterval(() => res.write('more\n'), 50);
          streamClosed = new Promise((done) =>
            res.once('close', () => {
              clearInterval(timer);
              streams.delete(res);
              done();
            }),
          );
          return;
        }
        if (req.url?.startsWith('/empty')) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'set-cookie': 'session=member' });
        res.end(JSON.stringify({ kind: 'Echo', method: req.method, url: req.url }));
      });
    });
    await new Promise<void>((done) => member.listen(0, '127.0.0.1', done));
    memberUrl = `http://127.0.0.1:${(member.address() as AddressInfo).port}`;

    dir = mkdtempSync(join(tmpdir(), 'fedgate-cluster-proxy-'));
    store = await openStore(`sqlite:${join(dir, 'fed.db')}`);
    gateway = new Gateway({ store, logger: pino({ level: 'silent' }), clusterProxy: {} });
    await gateway.start();
    for (const [name, spec] of [
      ['eu-west', { apiEndpoint: memberUrl }],
      ['prefixed', { apiEndpoint: `${memberUrl}/base/` }],
    ] as const) {
      const r = await fetch(`${gateway.url}${CLUSTERS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec }),
      });
      assert.equal(r.status, 201, await r.text());
    }
  });

  after(async () => {
    for (const res of streams) res.destroy();
    await gateway?.stop();
    await store?.close();
    await new Promise<void>((done) => member.close(() => done()));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('forwards method, path, query and body, without the caller credentials or hop-by-hop headers', async () => {
    // node:http, not fetch: fetch refuses to send a Connection header.
    const payload = JSON.stringify({ kind: 'ConfigMap' });
    const res = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((done, fail) => {
      const req = http.request(
        `${gateway.url}${CLUSTERS}/eu-west/proxy/api/v1/namespaces/shop/configmaps?labelSelector=app%3Dweb&limit=2`,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: 'Bearer caller-secret',
            cookie: 'gateway=session',
            'impersonate-user': 'root',
            'x-trace': 'abc',
            connection: 'close, x-drop-me',
            'x-drop-me': 'hop',
          },
        },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString('utf8')));
          r.on('end', () => done({ status: r.statusCode ?? 0, headers: r.headers, body }));
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { kind: 'Echo', method: 'POST', url: '/api/v1/namespaces/shop/configmaps?labelSelector=app%3Dweb&limit=2' });
    assert.equal(res.headers['set-cookie'], undefined, "the member's cookies stay behind");
    const [s] = seen;
    assert.ok(s);
    assert.equal(s.body, '{"kind":"ConfigMap"}');
    assert.equal(s.headers['x-trace'], 'abc');
    assert.equal(s.headers['content-type'], 'application/json');
    assert.equal(s.headers['host'], new URL(memberUrl).host);
    for (const dropped of ['authorization', 'cookie', 'impersonate-user', 'x-drop-me']) assert.equal(s.headers[dropped], undefined, dropped);
  });

  it("passes the member's answers through: status, empty bodies, and an endpoint with a base path", async () => {
    const missing = await fetch(`${gateway.url}${CLUSTERS}/eu-west/proxy/missing`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { kind: 'Echo', method: 'GET', url: '/missing' });
    const empty = await fetch(`${gateway.url}${CLUSTERS}/eu-west/proxy/empty`, { method: 'DELETE' });
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), '');
    const root = await fetch(`${gateway.url}${CLUSTERS}/eu-west/proxy`);
    assert.equal(((await root.json()) as { url: string }).url, '/');
    const prefixed = await fetch(`${gateway.url}${CLUSTERS}/prefixed/proxy/healthz`);
    assert.equal(((await prefixed.json()) as { url: string }).url, '/base/healthz');
  });

  it('streams: lines arrive while the member still writes, and hanging up ends the member side', async () => {
    const abort = new AbortController();
    const res = await fetch(`${gateway.url}${CLUSTERS}/eu-west/proxy/stream?follow=true`, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-member'), 'eu-west');
    assert.equal(res.headers.get('x-private'), null, 'a header the member named in Connection is hop-by-hop');
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/more/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the stream stays open while the member writes');
      text += Buffer.from(value!).toString('utf8');
    }
    assert.match(text, /^first\nmore\n/);
    abort.abort();
    await streamClosed;
    assert.equal(streams.size, 0);
  });

  it('answers 404 for an unknown cluster and leaves other cluster paths alone', async () => {
    const unknown = await fetch(`${gateway.url}${CLUSTERS}/nowhere/proxy/api`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { message: string }).message, 'clusters.cluster.fedgate.io "nowhere" not found');
    const cluster = await fetch(`${gateway.url}${CLUSTERS}/eu-west`);
    assert.equal(((await cluster.json()) as { kind: string }).kind, 'Cluster');
    const status = await fetch(`${gateway.url}${CLUSTERS}/eu-west/status`);
    assert.equal(status.status, 200);
    assert.equal(seen.length, 0, 'nothing reached the member');
  });
});
