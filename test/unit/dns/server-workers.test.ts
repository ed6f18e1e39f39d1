/**
 * DnsServer with UDP worker processes (ADR 009), against the same server answering in its
 * own process, both over one real ZoneView (SQLite in memory): the same bytes for every
 * question, zone changes reaching every worker, a killed worker replaced, and no worker
 * process left behind by stop() or by a killed parent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ResourceRegistry } from '../../../apimachinery/index.js';
import { silentLogger } from '../../../controller/index.js';
import { DnsServer, MAX_WORKERS, resolveWorkers, ZoneReplica, ZoneView } from '../../../dns/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { staticZone, staticZoneState } from '../../fixtures/dns-static-zone.js';
import { buildQuery, decode, tcpExchange, udpExchange, type QuerySpec } from '../../fixtures/dns-wire-client.js';
import { GEO_TABLE, putObject, putZoneObjects, VARYING_NAMES, WEIGHTED_NAME, ZONE, zoneObjects, zoneQuestions } from '../../fixtures/dns-zone-objects.js';
import { isAlive } from '../../fixtures/processes.js';

const WORKERS = 2;

/** PIDs of this process's children running the DNS UDP worker (from /proc). */
function workerChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('udp-worker')) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Polls `cond` every 20 ms; fails after `ms` (a bound on a hang, not a speed assertion). */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ask(port: number, spec: QuerySpec): Promise<Buffer> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const reply = await udpExchange(port, buildQuery(spec), 1_000);
    if (reply !== undefined) return reply;
  }
  throw new Error(`no reply to ${spec.name} on port ${port}`);
}

describe('DnsServer with UDP workers', function () {
  this.timeout(60_000);
  let store: Store;
  let view: ZoneView;
  let local: DnsServer;
  let pooled: DnsServer;
  let localPort: number;
  let pooledPort: number;
  /** In-process too, but answering through Node's dgram one datagram at a time. */
  let viaDgram: DnsServer;
  let dgramPort: number;

  before(async () => {
    store = await openStore('sqlite::memory:');
    await putZoneObjects(store, Date.now());
    view = new ZoneView({ store, registry: new ResourceRegistry(), nameserverAddress: '127.0.0.1', freshnessMs: 600_000, writeStatus: false, geoTable: GEO_TABLE, logger: silentLogger });
    view.start();
    await view.waitForSync();
    local = new DnsServer({ zone: view, workers: 1, logger: silentLogger });
    pooled = new DnsServer({ zone: view, workers: WORKERS, logger: silentLogger });
    localPort = (await local.start()).udp.port;
    pooledPort = (await pooled.start()).udp.port;
    viaDgram = new DnsServer({ zone: view, workers: 1, udpIo: 'dgram', logger: silentLogger });
    dgramPort = (await viaDgram.start()).udp.port;
  });

  after(async () => {
    const pids = pooled?.workerPids ?? [];
    await pooled?.stop();
    await local?.stop();
    await viaDgram?.stop();
    await view?.stop();
    await store?.close();
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  });

  it('runs the asked number of workers; 1 answers in-process', () => {
    assert.equal(pooled.workers, WORKERS);
    assert.equal(pooled.workerPids.length, WORKERS);
    assert.ok(pooled.workerPids.every((pid) => pid !== process.pid && isAlive(pid)));
    assert.deepEqual(local.workerPids, []);
  });

  it('answers in batches where the platform allows, and through dgram when asked', function () {
    if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
      console.log(`      skipped: batched UDP I/O is Linux x64/arm64 only, this is ${process.platform}/${process.arch}`);
      this.skip();
    }
    assert.deepEqual(local.udpIo, ['batch']);
    assert.deepEqual(pooled.udpIo, Array(WORKERS).fill('batch'));
    assert.deepEqual(viaDgram.udpIo, ['dgram']);
  });

  it('answers every question with the same bytes as the in-process server, batched or through dgram', async () => {
    const variants: Omit<QuerySpec, 'name' | 'type'>[] = [
      {},
      { edns: { udpSize: 4096 } },
      { edns: { dnssecOk: true } },
      { edns: { ecs: { family: 1, sourcePrefix: 16, address: [10, 1] } } },
      { flags: 0 },
    ];
    let compared = 0;
    for (const [name, type] of zoneQuestions()) {
      if (VARYING_NAMES.includes(name) && (type === 1 || type === 28 || type === 255)) continue; // compared as sets below
      for (const v of variants) {
        const spec = { ...v, id: 4242, name: compared % 3 === 0 ? name.toUpperCase() : name, type };
        const expected = await ask(localPort, spec);
        assert.deepEqual(await ask(pooledPort, spec), expected, `${spec.name} type ${type} ${JSON.stringify(v)}`);
        assert.deepEqual(await ask(dgramPort, spec), expected, `dgram: ${spec.name} type ${type} ${JSON.stringify(v)}`);
        compared++;
      }
    }
    assert.ok(compared > 500, `${compared} questions compared`);
    // Broken and refused packets are answered alike too.
    const q = buildQuery({ name: WEIGHTED_NAME });
    const two = Buffer.from(q);
    two.writeUInt16BE(2, 4);
    assert.deepEqual(await udpExchange(pooledPort, two), await udpExchange(localPort, two));
    assert.deepEqual(await udpExchange(dgramPort, two), await udpExchange(localPort, two));
    assert.deepEqual(await udpExchange(pooledPort, buildQuery({ name: ZONE, qclass: 3 })), await udpExchange(localPort, buildQuery({ name: ZONE, qclass: 3 })));
  });

  it('gives per-query names the same set of answers as the in-process server', async () => {
    for (const name of VARYING_NAMES) {
      for (const spec of [{ name, id: 7 }, { name, id: 7, edns: { ecs: { family: 1, sourcePrefix: 16, address: [10, 2] } } }]) {
        const seen = { pooled: new Set<string>(), local: new Set<string>() };
        for (let i = 0; i < 60; i++) {
          seen.pooled.add((await ask(pooledPort, spec)).toString('hex'));
          seen.local.add((await ask(localPort, spec)).toString('hex'));
        }
        assert.deepEqual([...seen.pooled].sort(), [...seen.local].sort(), name);
      }
    }
  });

  it('serves TCP from the primary', async () => {
    const [reply] = await tcpExchange(pooledPort, [buildQuery({ id: 9, name: `solo.shop.svc.${ZONE}` })]);
    assert.deepEqual(decode(reply!).answers.map((r) => r.address), ['127.0.20.2']);
  });

  it('zone changes reach every worker', async () => {
    const before = view.version;
    const o = zoneObjects(Date.now());
    const us1 = o.clusters.find((c) => c.metadata.name === 'us-1')!;
    us1.status!.conditions![0]!.status = 'False';
    await putObject(store, 'clusters', us1);
    await waitFor('the zone to drop us-1', () => view.version > before);
    await waitFor('every worker at the zone version', () => pooled.workerZoneVersions.every((v) => v === view.version));
    // Whichever worker answers, us-1 (127.0.20.3) is gone from the weighted name.
    for (let i = 0; i < 60; i++) {
      const answers = decode(await ask(pooledPort, { name: WEIGHTED_NAME })).answers.map((r) => r.address);
      assert.equal(answers.length, 1);
      assert.notEqual(answers[0], '127.0.20.3');
    }
    const soa = (port: number) => ask(port, { name: ZONE, type: 6 }).then((r) => decode(r).answers[0]!.serial);
    assert.equal(await soa(pooledPort), await soa(localPort), 'the SOA serial moved in the workers too');
    us1.status!.conditions![0]!.status = 'True';
    await putObject(store, 'clusters', us1);
    await waitFor('us-1 back in every worker', async () => {
      if (!pooled.workerZoneVersions.every((v) => v === view.version)) return false;
      for (let i = 0; i < 60; i++) if (decode(await ask(pooledPort, { name: WEIGHTED_NAME })).answers[0]!.address === '127.0.20.3') return true;
      return false;
    });
  });

  it('replaces a worker that dies, from the current zone', async () => {
    const [victim, survivor] = pooled.workerPids;
    process.kill(victim!, 'SIGKILL');
    await waitFor('a new worker', () => pooled.workerPids.length === WORKERS && !pooled.workerPids.includes(victim!));
    assert.ok(pooled.workerPids.includes(survivor!));
    await waitFor('the new worker at the zone version', () => pooled.workerZoneVersions.every((v) => v === view.version));
    for (let i = 0; i < 20; i++) assert.equal(decode(await ask(pooledPort, { name: `solo.shop.svc.${ZONE}` })).answers[0]!.address, '127.0.20.2');
  });

  it('stop() leaves no worker process alive and frees the port', async () => {
    const server = new DnsServer({ zone: view, workers: WORKERS, logger: silentLogger });
    const { udp } = await server.start();
    const pids = server.workerPids;
    assert.equal(pids.length, WORKERS);
    assert.deepEqual(workerChildren().filter((pid) => pids.includes(pid)).sort(), [...pids].sort(), 'the workers are children of this process');
    await server.stop();
    assert.deepEqual(pids.filter(isAlive), [], 'every worker exited');
    assert.deepEqual(server.workerPids, []);
    // The same port can be bound again at once (the shared socket was closed).
    const again = new DnsServer({ zone: view, workers: WORKERS, udp: { host: '127.0.0.1', port: udp.port }, logger: silentLogger });
    try {
      assert.equal((await again.start()).udp.port, udp.port);
      assert.equal(decode(await ask(udp.port, { name: `solo.shop.svc.${ZONE}` })).answers.length, 1);
    } finally {
      const more = again.workerPids;
      await again.stop();
      assert.deepEqual(more.filter(isAlive), []);
    }
  });

  it('a UDP port in use is an EADDRINUSE error naming the address, and leaves no worker behind', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', () => resolve()));
    const port = squatter.address().port;
    const before = workerChildren();
    try {
      const server = new DnsServer({ zone: view, workers: WORKERS, udp: { host: '127.0.0.1', port }, logger: silentLogger });
      await assert.rejects(server.start(), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE' && err.message.includes(`127.0.0.1:${port}`));
      assert.deepEqual(server.workerPids, []);
      await waitFor('the failed workers to exit', () => workerChildren().every((pid) => before.includes(pid)));
    } finally {
      squatter.close();
    }
  });

  it('workers exit when their parent process is killed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/dns-server-process.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DNS_WORKERS: String(WORKERS) },
    });
    let pids: number[] = [];
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', () => reject(new Error('DNS server process exited before listening')));
      });
      const started = JSON.parse(line) as { port: number; workers: number[] };
      pids = started.workers;
      assert.equal(pids.length, WORKERS);
      assert.equal(decode(await ask(started.port, { name: staticZoneState().names[2]![0] })).header.rcode, 0);
      process.kill(child.pid!, 'SIGKILL');
      await waitFor('the orphaned workers to exit', () => !pids.some(isAlive));
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    }
  });

  it('rejects a bad worker count, and a zone that cannot be exported, with a clear error', () => {
    for (const bad of [0, -1, 1.5, MAX_WORKERS + 1, Number.NaN]) {
      assert.throws(() => new DnsServer({ zone: view, workers: bad }), RangeError, String(bad));
    }
    assert.throws(() => new DnsServer({ zone: staticZone(), workers: 2 }), /ExportableZone/);
    assert.equal(resolveWorkers(undefined, staticZone()), 1, 'a zone that cannot be exported answers in-process');
    assert.ok(resolveWorkers(undefined, view) >= 1);
    assert.equal(resolveWorkers(undefined, ZoneReplica.of(staticZoneState())), resolveWorkers(undefined, view));
  });
});
