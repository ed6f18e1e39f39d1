import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExpired, isNotFound } from '../../../apimachinery/index.js';
import { SqliteStore, type StoreEvent } from '../../../store/index.js';

/** Waits (without timers of its own) until `cond` holds, polling on each event-loop turn. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('sqlite-store', () => {
  let dir: string;
  const stores: SqliteStore[] = [];
  const open = (opts: Partial<Parameters<typeof SqliteStore.open>[0]> = {}): SqliteStore => {
    const s = SqliteStore.open({ path: path.join(dir, 'fed.db'), ...opts });
    stores.push(s);
    return s;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-sqlite-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses WAL and synchronous=FULL by default', () => {
    const s = open();
    const db = (s as unknown as { db: { pragma(p: string, o: object): unknown } }).db;
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2);
  });

  it('delivers writes of another connection (another process) through the poll, in order', async () => {
    const reader = open({ pollIntervalMs: 20 });
    const writer = open();
    const got: StoreEvent[] = [];
    reader.watch('/x/', 0, (e) => void got.push(e), () => undefined);
    const revs: number[] = [];
    for (let i = 0; i < 20; i++) revs.push(await (i % 2 ? writer : reader).create(`/x/${i}`, String(i)));
    await until(() => got.length === 20, '20 events');
    assert.deepEqual(got.map((e) => e.revision), revs);
  });

  it('serializes compare-and-swap across connections', async () => {
    const a = open();
    const b = open();
    const c = await a.create('/k', '0');
    const results = await Promise.allSettled([a.update('/k', 'a', c), b.update('/k', 'b', c)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  it('keeps reads at the compacted revision exact and drops older history', async () => {
    const s = open();
    const r1 = await s.create('/a', '1');
    await s.update('/a', '2', r1);
    const r3 = await s.create('/b', 'x');
    const r4 = await s.delete('/b', r3);
    const before = await s.list('/', { revision: r4 });
    await s.compact(r4);
    assert.deepEqual(await s.list('/', { revision: r4 }), before);
    await assert.rejects(s.list('/', { revision: r3 }), (e) => isExpired(e));
    assert.equal(await s.currentRevision(), r4, 'the revision survives compacting the newest row away');
    const r5 = await s.create('/b', 'again');
    assert.equal(r5, r4 + 1);
  });

  it('drops the previous values of compacted rows, so an overwritten value leaves the log', async () => {
    const s = open();
    const r1 = await s.create('/a', 'first');
    const r2 = await s.update('/a', 'second', r1);
    const db = (s as unknown as { db: { prepare(q: string): { all(): { id: number; old_value: string | null }[] } } }).db;
    const oldValues = (): (string | null)[] => db.prepare('SELECT id, old_value FROM kv ORDER BY id').all().map((r) => r.old_value);
    assert.deepEqual(oldValues(), [null, 'first']);
    await s.compact(r2);
    assert.deepEqual(oldValues(), [null], 'the kept row no longer holds the overwritten value');
    assert.deepEqual(await s.get('/a'), { key: '/a', value: 'second', createRevision: r1, modRevision: r2 });
  });

  it('ends watchers that are behind another process’s compaction with Expired', async () => {
    const reader = open({ pollIntervalMs: 3_600_000 });
    const writer = open();
    const r1 = await reader.create('/w/a', 'one');
    const events: StoreEvent[] = [];
    const errors: Error[] = [];
    reader.watch('/w/', r1, (e) => void events.push(e), (e) => errors.push(e));
    const r2 = await writer.update('/w/a', 'two', r1);
    await writer.compact(r2);
    // The reader's next own write makes it read the log it has not published yet.
    await reader.create('/z', 'x');
    await until(() => errors.length === 1, 'Expired');
    assert.ok(isExpired(errors[0]), String(errors[0]));
    assert.deepEqual(events, [], 'no event whose previous value compaction dropped');
  });

  it('expires leases by the injected clock', async () => {
    let now = 1_000_000;
    const s = open({ now: () => now, leaseSweepMs: 3_600_000 });
    const lease = await s.grantLease(10);
    await s.create('/l', 'v', { lease: lease.id });
    now += 9_000;
    await lease.keepAlive();
    now += 9_000;
    s.sweepLeases();
    assert.ok(await s.get('/l'), 'kept alive');
    now += 1_001;
    const events: StoreEvent[] = [];
    s.watch('/', await s.currentRevision(), (e) => void events.push(e), () => undefined);
    s.sweepLeases();
    assert.equal(await s.get('/l'), undefined);
    await until(() => events.length === 1, 'delete event');
    assert.equal(events[0]!.type, 'delete');
    await assert.rejects(lease.keepAlive(), (e) => isNotFound(e));
  });

  it('refills a slow watcher from the log instead of buffering or cutting it off', async () => {
    const s = open({ maxBacklog: 5 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: number[] = [];
    const errors: Error[] = [];
    s.watch('/', 0, async (e) => {
      got.push(e.revision);
      if (got.length === 1) await gate;
    }, (e) => errors.push(e));
    const revs: number[] = [];
    for (let i = 0; i < 50; i++) revs.push(await s.create(`/s/${i}`, 'v'));
    release();
    await until(() => got.length === 50, 'all events');
    assert.deepEqual(got, revs);
    assert.deepEqual(errors, []);
  });

  it('a create that returned survives SIGKILL of the writing process', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'kill.db');
    const storeUrl = pathToFileURL(path.resolve(import.meta.dirname, '../../../store/index.ts')).href;
    const script = `
      import { SqliteStore } from ${JSON.stringify(storeUrl)};
      const s = SqliteStore.open({ path: ${JSON.stringify(file)} });
      for (let i = 0; ; i++) {
        const rev = await s.create('/k/' + i, 'v' + i);
        process.stdout.write(rev + '\\n');
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      await until(() => out.split('\n').length > 200 || child.exitCode !== null, 'acknowledged creates');
      assert.equal(child.exitCode, null, err);
      process.kill(child.pid!, 'SIGKILL');
    } finally {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const acked = out.split('\n').filter((l) => l !== '').map(Number);
    const s = open({ path: file });
    const items = (await s.list('/k/')).items;
    const present = new Set(items.map((kv) => kv.modRevision));
    for (const rev of acked) assert.ok(present.has(rev), `acknowledged revision ${rev} lost`);
  });
});
