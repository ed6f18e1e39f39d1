import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpGetCheck, ProbeWorker, resolveProbePort, runProbe, tcpSocketCheck, type ProbeOutcome } from '../../../../member-cluster/kubelet/index.js';
import { createRuntime } from '../../../../member-cluster/runtime/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';

describe('kubelet/probes', () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
      res.statusCode = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise((r) => server.close(r)));

  it('httpGet passes on 2xx/3xx, fails on other codes, refused connections and timeouts', async () => {
    assert.equal((await httpGetCheck({ host: '127.0.0.1', port, path: '/ok' }, 1000)).ok, true);
    assert.equal((await httpGetCheck({ host: '127.0.0.1', port, path: '/moved' }, 1000)).ok, true);
    const bad = await httpGetCheck({ host: '127.0.0.1', port, path: '/bad' }, 1000);
    assert.deepEqual(bad, { ok: false, message: 'HTTP probe failed with statuscode: 503' });
    assert.equal((await httpGetCheck({ host: '127.0.0.1', port, path: '/slow' }, 100)).ok, false);
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    assert.equal((await httpGetCheck({ host: '127.0.0.1', port: closedPort }, 1000)).ok, false);
    assert.equal((await tcpSocketCheck('127.0.0.1', closedPort, 1000)).ok, false);
    assert.equal((await tcpSocketCheck('127.0.0.1', port, 1000)).ok, true);
  });

  it('resolves named ports and runs httpGet against the pod IP', async () => {
    const container = { name: 'c', ports: [{ name: 'http', containerPort: port }] };
    assert.equal(resolveProbePort('http', container), port);
    assert.equal(resolveProbePort('9000', container), 9000);
    assert.equal(resolveProbePort('nope', container), undefined);
    const runtime = createRuntime('process');
    const handle = { id: 'x', startedAt: 0, exited: new Promise<never>(() => {}), stop: () => Promise.reject(new Error('unused')) };
    const r = await runProbe({ httpGet: { port: 'http', path: '/ok' } }, { podIP: '127.0.0.1', container, handle, runtime });
    assert.equal(r.ok, true);
    const sim = await runProbe({ tcpSocket: { port: 1 } }, { podIP: '127.0.0.1', container, handle, runtime: createRuntime('simulated') });
    assert.equal(sim.ok, true, 'the simulated runtime passes every probe');
  });

  it('runs exec probes beside a running container with its environment', async () => {
    const runtime = createRuntime('process', { mountNamespaces: false });
    const os = await import('node:os');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-exec-'));
    const handle = await runtime.startContainer({
      pod: { namespace: 'ns', name: 'p', uid: 'u', nodeName: 'n' },
      podDir: dir,
      name: 'main',
      argv: ['sleep', '30'],
      env: { FLAG: 'on' },
      mounts: [],
      restartCount: 0,
      annotations: {},
    });
    try {
      const container = { name: 'main' };
      const ok = await runProbe({ exec: { command: ['sh', '-c', 'test "$FLAG" = on'] } }, { podIP: '127.0.0.1', container, handle, runtime });
      assert.equal(ok.ok, true);
      const bad = await runProbe({ exec: { command: ['sh', '-c', 'echo nope; exit 1'] } }, { podIP: '127.0.0.1', container, handle, runtime });
      assert.deepEqual(bad, { ok: false, message: 'command exited with 1: nope' });
      const slow = await runProbe({ exec: { command: ['sleep', '5'] }, timeoutSeconds: 0.1 }, { podIP: '127.0.0.1', container, handle, runtime });
      assert.equal(slow.ok, false);
    } finally {
      await handle.stop(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits initialDelaySeconds, probes every periodSeconds and honours the thresholds', async () => {
    const clock = new FakeClock();
    const outcomes: boolean[] = [];
    let next = false;
    const changes: boolean[] = [];
    const w = new ProbeWorker({
      kind: 'readiness',
      probe: { initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 3 },
      clock,
      check: (): Promise<ProbeOutcome> => {
        outcomes.push(next);
        return Promise.resolve({ ok: next });
      },
      onChange: (passing) => changes.push(passing),
    });
    w.start();
    assert.equal(w.passing, false, 'readiness starts failing');
    await clock.advance(4_999);
    assert.equal(outcomes.length, 0);
    next = true;
    await clock.advance(1);
    assert.equal(outcomes.length, 1);
    assert.equal(w.passing, false, 'one success is below successThreshold 2');
    await clock.advance(2_000);
    assert.equal(w.passing, true);
    next = false;
    await clock.advance(4_000);
    assert.equal(w.passing, true, 'two failures are below failureThreshold 3');
    await clock.advance(2_000);
    assert.equal(w.passing, false);
    assert.deepEqual(changes, [true, false]);
    w.stop();
    await clock.advance(60_000);
    assert.equal(outcomes.length, 5, "probes at 5, 7, 9, 11 and 13 s, none after stop");
  });

  it('liveness starts passing and reports a failure after failureThreshold', async () => {
    const clock = new FakeClock();
    const changes: boolean[] = [];
    const w = new ProbeWorker({ kind: 'liveness', probe: { periodSeconds: 1, failureThreshold: 2 }, clock, check: () => Promise.resolve({ ok: false }), onChange: (p) => changes.push(p) });
    w.start();
    assert.equal(w.passing, true);
    await clock.advance(0);
    assert.deepEqual(changes, []);
    await clock.advance(1000);
    assert.deepEqual(changes, [false]);
    w.stop();
  });
});
