import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayRequest, GatewayRequestError, GatewayUnreachableError, openStream, readJsonLines } from '../../../cli/gateway-client.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('cli/gateway-client', () => {
  let server: http.Server;
  let base: string;
  let handler: Handler;

  before(async () => {
    server = http.createServer((req, res) => handler(req, res));
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('sends JSON and a bearer token, and parses the answer', async () => {
    let seen: { auth?: string; type?: string; body?: string } = {};
    handler = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { auth: req.headers.authorization, type: req.headers['content-type'], body };
        res.setHeader('content-type', 'application/json');
        res.end('{"kind":"Thing","ok":true}');
      });
    };
    const out = await gatewayRequest({ server: base, token: 'abc.def' }, 'PATCH', '/x', { a: 1 }, 'application/merge-patch+json');
    assert.deepEqual(out, { kind: 'Thing', ok: true });
    assert.deepEqual(seen, { auth: 'Bearer abc.def', type: 'application/merge-patch+json', body: '{"a":1}' });
  });

  it("turns a Status body into the server's message, reason and code; other bodies into the HTTP code", async () => {
    handler = (_req, res) => {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'deployments.apps "web" not found', code: 404 }));
    };
    const err = await gatewayRequest(base, 'GET', '/x').catch((e: unknown) => e);
    assert.ok(err instanceof GatewayRequestError);
    assert.equal(err.message, 'deployments.apps "web" not found');
    assert.equal(err.status, 404);
    assert.equal(err.reason, 'NotFound');
    handler = (_req, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    await assert.rejects(gatewayRequest(base, 'GET', '/y'), /GET \/y: HTTP 502: bad gateway/);
  });

  it('says when the server cannot be reached, and rejects URLs that are not http(s)', async () => {
    const err = await gatewayRequest('http://127.0.0.1:9', 'GET', '/version').catch((e: unknown) => e);
    assert.ok(err instanceof GatewayUnreachableError);
    assert.match(err.message, /cannot reach the gateway at http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED/);
    await assert.rejects(gatewayRequest('ftp://x', 'GET', '/'), /not an http:\/\/ or https:\/\/ URL/);
    await assert.rejects(gatewayRequest('nowhere', 'GET', '/'), /"nowhere" is not a URL/);
  });

  it('streams newline-delimited JSON until the server ends it', async () => {
    handler = (_req, res) => {
      res.write('{"type":"ADDED","object":{"n":1}}\n{"type":"MOD');
      setTimeout(() => res.end('IFIED","object":{"n":2}}\n'), 20);
    };
    const events: unknown[] = [];
    await readJsonLines(await openStream(base, '/w'), (e) => events.push(e));
    assert.deepEqual(events, [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }]);
  });

  it('verifies an https server against the target CA and presents the client certificate', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'fedgate-tls-'));
    try {
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
      if (made.error || made.status !== 0) {
        console.log(`      skipped: openssl could not make a test certificate (${made.error?.message ?? made.stderr})`);
        this.skip();
      }
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const key = readFileSync(join(dir, 'key.pem'), 'utf8');
      const tls = https.createServer({ cert, key, ca: cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(JSON.stringify({ client: peer?.subject?.CN ?? null }));
      });
      const url = `https://127.0.0.1:${await listen(tls)}`;
      try {
        assert.deepEqual(await gatewayRequest({ server: url, caPem: cert, clientCertPem: cert, clientKeyPem: key }, 'GET', '/'), { client: '127.0.0.1' });
        assert.deepEqual(await gatewayRequest({ server: url, caPem: cert }, 'GET', '/'), { client: null });
        await assert.rejects(gatewayRequest({ server: url }, 'GET', '/'), /cannot reach the gateway at https:.*self-signed certificate/);
      } finally {
        await new Promise((r) => tls.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
