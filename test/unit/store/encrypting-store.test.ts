import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { StatusReason, builtinResources, isBadRequest, resourcePrefix, storeKey } from '../../../apimachinery/index.js';
import {
  AESGCM_V1_PREFIX,
  DEFAULT_ENCRYPTED_PREFIXES,
  DecryptionError,
  EncryptingStore,
  SqliteStore,
  WatchCache,
  generateEncryptionKey,
  isDecryptionError,
  openStore,
  reencryptAll,
  type EncryptionKey,
  type StoreEvent,
} from '../../../store/index.js';
import { ETCD_MISSING, startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';

const secrets = builtinResources.find((r) => r.kind === 'Secret')!;
const configMaps = builtinResources.find((r) => r.kind === 'ConfigMap')!;

/** A Secret whose data holds `password`, as the gateway stores it (JSON, data in base64). */
function secretJson(name: string, password: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    type: 'Opaque',
    data: { password: Buffer.from(password).toString('base64') },
  });
}

function configMapJson(name: string, value: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } });
}

/** The forms of a password that must never reach the disk: as typed, and as it sits in `data`. */
function needles(password: string): Buffer[] {
  return [Buffer.from(password), Buffer.from(Buffer.from(password).toString('base64'))];
}

/** True when any needle occurs in any of the files (read as bytes; missing files count as empty). */
function foundInFiles(files: string[], search: Buffer[]): boolean {
  return files.some((f) => {
    if (!fs.existsSync(f)) return false;
    const bytes = fs.readFileSync(f);
    return search.some((n) => bytes.includes(n));
  });
}

const sqliteFiles = (file: string): string[] => [file, `${file}-wal`];

/** Waits until `cond` holds (watch delivery is asynchronous). */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('encrypting-store', () => {
  let dir: string;
  let keyA: EncryptionKey;
  let keyB: EncryptionKey;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-enc-'));
    keyA = generateEncryptionKey('key-a');
    keyB = generateEncryptionKey('key-b');
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = (name = 'fed.db'): { file: string; backend: SqliteStore } => {
    const file = path.join(dir, name);
    const backend = SqliteStore.open({ path: file });
    closers.push(() => backend.close());
    return { file, backend };
  };

  it('encrypts Secrets by default, under the registry key layout', () => {
    assert.deepEqual(DEFAULT_ENCRYPTED_PREFIXES, [resourcePrefix(secrets)]);
    const store = new EncryptingStore(sqlite().backend, { keys: [keyA] });
    assert.ok(store.encrypts(storeKey(secrets, 'default', 'db')));
    assert.ok(!store.encrypts(storeKey(configMaps, 'default', 'db')));
    assert.equal(store.primaryKeyId, 'key-a');
  });

  it('stores the aesgcm envelope with a fresh nonce per write and reads back plaintext', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA, keyB] });
    const key = storeKey(secrets, 'default', 'db');
    const value = secretJson('db', 'hunter2');
    const rev = await store.create(key, value);
    const raw = (await backend.get(key))!;
    assert.ok(raw.value.startsWith(`${AESGCM_V1_PREFIX}key-a:`), raw.value.slice(0, 40));
    const body = Buffer.from(raw.value.slice(`${AESGCM_V1_PREFIX}key-a:`.length), 'base64');
    assert.equal(body.length, 12 + Buffer.byteLength(value) + 16, 'nonce + ciphertext + tag');
    assert.deepEqual(await store.get(key), { key, value, createRevision: rev, modRevision: rev });

    const u = await store.update(key, value, rev);
    const raw2 = (await backend.get(key))!;
    assert.notEqual(raw2.value, raw.value, 'the same plaintext encrypts differently each write');
    assert.equal((await store.get(key))!.modRevision, u);
    assert.deepEqual((await store.list(resourcePrefix(secrets))).items.map((kv) => kv.value), [value]);

    const cmKey = storeKey(configMaps, 'default', 'cm');
    await store.create(cmKey, configMapJson('cm', 'open'));
    assert.equal((await backend.get(cmKey))!.value, configMapJson('cm', 'open'), 'other kinds stay as they are');
  });

  it('decrypts watch events, kv and prevKv, for create, update and delete', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const key = storeKey(secrets, 'default', 'w');
    const start = await store.currentRevision();
    const events: StoreEvent[] = [];
    const rawEvents: StoreEvent[] = [];
    const stop = store.watch(resourcePrefix(secrets), start, (e) => void events.push(e), (err) => assert.fail(err));
    const stopRaw = backend.watch(resourcePrefix(secrets), start, (e) => void rawEvents.push(e), (err) => assert.fail(err));
    const c = await store.create(key, 'v1');
    await store.update(key, 'v2', c);
    await store.delete(key);
    await until(() => events.length === 3 && rawEvents.length === 3, 'three events');
    stop();
    stopRaw();
    assert.deepEqual(
      events.map((e) => [e.type, e.kv.value, e.prevKv?.value]),
      [
        ['create', 'v1', undefined],
        ['update', 'v2', 'v1'],
        ['delete', 'v2', 'v2'],
      ],
    );
    for (const e of rawEvents) {
      assert.ok(e.kv.value.startsWith(AESGCM_V1_PREFIX), 'the backend event holds the ciphertext');
      if (e.prevKv) assert.ok(e.prevKv.value.startsWith(AESGCM_V1_PREFIX));
    }
  });

  it('never writes a Secret’s data to the SQLite file or its WAL', async () => {
    const { file, backend } = sqlite();
    // The gateway's shape: the watch cache above, holding plaintext in memory only.
    const cache = new WatchCache(new EncryptingStore(backend, { keys: [keyA] }), { prefix: '/registry/' });
    await cache.start();
    closers.push(async () => cache.stop());
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const later = `pw2-${randomBytes(12).toString('hex')}`;
    const control = `cm-${randomBytes(12).toString('hex')}`;
    const key = storeKey(secrets, 'default', 'db');
    const c = await cache.create(key, secretJson('db', password));
    const u = await cache.update(key, secretJson('db', later), c);
    await cache.create(storeKey(secrets, 'default', 'other'), secretJson('other', password));
    await cache.delete(storeKey(secrets, 'default', 'other'));
    await cache.create(storeKey(configMaps, 'default', 'cm'), configMapJson('cm', control));
    assert.equal((await cache.get(key))!.value, secretJson('db', later));
    assert.equal((await cache.get(key))!.modRevision, u);

    assert.ok(foundInFiles(sqliteFiles(file), needles(control)), 'the search finds an unencrypted ConfigMap value');
    assert.ok(!foundInFiles(sqliteFiles(file), [...needles(password), ...needles(later)]), 'no Secret plaintext in db or WAL');
    await backend.close();
    // Closing checkpoints the WAL into the database file.
    assert.ok(foundInFiles([file], needles(control)));
    assert.ok(!foundInFiles(sqliteFiles(file), [...needles(password), ...needles(later)]));
  });

  it('errors clearly on a tampered value, a moved value, an unknown key and an unknown format', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const key = storeKey(secrets, 'default', 'db');
    const rev = await store.create(key, secretJson('db', 'pw'));
    const sealed = (await backend.get(key))!.value;

    // One flipped bit in the ciphertext.
    const head = `${AESGCM_V1_PREFIX}key-a:`;
    const body = Buffer.from(sealed.slice(head.length), 'base64');
    body[20] = body[20]! ^ 1;
    await backend.update(key, head + body.toString('base64'), rev);
    const err = await store.get(key).catch((e: unknown) => e);
    assert.ok(isDecryptionError(err), String(err));
    assert.equal((err as DecryptionError).reason, StatusReason.InternalError);
    assert.equal((err as DecryptionError).storeKey, key);
    assert.equal((err as DecryptionError).keyId, 'key-a');
    assert.match((err as Error).message, /cannot decrypt the value of "\/registry\/core\/secrets\/default\/db" \(encryption key "key-a"\): authentication failed/);
    await assert.rejects(store.list(resourcePrefix(secrets)), (e) => isDecryptionError(e) && /default\/db/.test((e as Error).message));

    // The intact ciphertext copied under another key does not authenticate there.
    const moved = storeKey(secrets, 'default', 'moved');
    await backend.create(moved, sealed);
    await assert.rejects(store.get(moved), /"\/registry\/core\/secrets\/default\/moved" \(encryption key "key-a"\): authentication failed/);

    // A key id nobody configured, and formats that are not ours.
    const cases: [string, RegExp][] = [
      [sealed.replace(':key-a:', ':key-gone:'), /\(encryption key "key-gone"\): no such encryption key is configured \(configured: "key-a"\)/],
      [`${head}not*base64`, /malformed encrypted value: the payload is not base64/],
      [`${head}${'*'.repeat(60)}${sealed.slice(head.length)}`, /malformed encrypted value: the payload is not base64/],
      [`${head}AAAA`, /shorter than nonce and tag/],
      [AESGCM_V1_PREFIX, /no key id/],
      ['k8s:enc:kms:v2:provider:abc', /unsupported encryption format "k8s:enc:kms"/],
    ];
    for (const [i, [value, message]] of cases.entries()) {
      const k = storeKey(secrets, 'default', `bad-${i}`);
      await backend.create(k, value);
      await assert.rejects(store.get(k), (e) => isDecryptionError(e) && message.test((e as Error).message), value);
      // Deleting never needs the value: an undecryptable object can still be removed.
      await store.delete(k);
    }
  });

  it('ends a watch with the DecryptionError instead of delivering ciphertext', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const start = await store.currentRevision();
    const events: StoreEvent[] = [];
    const errors: Error[] = [];
    store.watch('/registry/', start, (e) => void events.push(e), (e) => errors.push(e));
    await store.create(storeKey(secrets, 'default', 'ok'), 'fine');
    await backend.create(storeKey(secrets, 'default', 'bad'), `${AESGCM_V1_PREFIX}key-zzz:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    await store.create(storeKey(secrets, 'default', 'after'), 'later');
    await until(() => errors.length === 1, 'the watch error');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(events.map((e) => e.kv.value), ['fine']);
    assert.equal(errors.length, 1, 'onError runs once');
    assert.ok(isDecryptionError(errors[0]), String(errors[0]));
    assert.match(errors[0]!.message, /default\/bad" \(encryption key "key-zzz"\)/);
  });

  it('reads values written before encryption as plaintext and encrypts them on their next write', async () => {
    const { backend } = sqlite();
    const key = storeKey(secrets, 'default', 'legacy');
    const c = await backend.create(key, secretJson('legacy', 'old-pw'));
    const store = new EncryptingStore(backend, { keys: [keyA] });
    assert.equal((await store.get(key))!.value, secretJson('legacy', 'old-pw'));
    assert.equal((await store.list(resourcePrefix(secrets))).items[0]!.value, secretJson('legacy', 'old-pw'));
    assert.equal((await backend.get(key))!.value, secretJson('legacy', 'old-pw'), 'reading does not rewrite');
    await store.update(key, secretJson('legacy', 'new-pw'), c);
    assert.ok((await backend.get(key))!.value.startsWith(`${AESGCM_V1_PREFIX}key-a:`));
    assert.equal((await store.get(key))!.value, secretJson('legacy', 'new-pw'));
  });

  it('after rewriting, compacting and vacuuming, no plaintext of an old Secret is left on disk', async () => {
    const { file, backend } = sqlite();
    const password = `legacy-${randomBytes(12).toString('hex')}`;
    const key = storeKey(secrets, 'default', 'legacy');
    await backend.create(key, secretJson('legacy', password));
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const result = await reencryptAll(store);
    assert.equal(result.rewritten, 1);
    assert.equal((await store.get(key))!.value, secretJson('legacy', password));
    assert.ok(foundInFiles(sqliteFiles(file), needles(password)), 'history still holds the plaintext before compaction');
    await store.compact(await store.currentRevision());
    assert.equal(await backend.vacuum(), true);
    assert.ok(!foundInFiles(sqliteFiles(file), needles(password)), 'compaction and vacuum leave no plaintext');
    assert.equal((await store.get(key))!.value, secretJson('legacy', password));
  });

  it('seals a plaintext that looks like an envelope anywhere, so it reads back as written', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const tricky = `${AESGCM_V1_PREFIX}key-a:not-really`;
    await store.create('/registry/core/configmaps/default/x', tricky);
    assert.equal((await store.get('/registry/core/configmaps/default/x'))!.value, tricky);
    assert.notEqual((await backend.get('/registry/core/configmaps/default/x'))!.value, tricky);
  });

  it('passes leases, compaction, revisions and errors through unchanged', async () => {
    const { backend } = sqlite();
    const store = new EncryptingStore(backend, { keys: [keyA] });
    const lease = await store.grantLease(60);
    const key = storeKey(secrets, 'default', 'leased');
    const c = await store.create(key, 'x', { lease: lease.id });
    assert.equal((await store.get(key))!.lease, lease.id);
    assert.equal(await store.currentRevision(), await backend.currentRevision());
    await assert.rejects(store.update(key, 'y', c + 100), (e: { reason?: string }) => e.reason === StatusReason.Conflict);
    await assert.rejects(store.create(key, 'z'), (e: { reason?: string }) => e.reason === StatusReason.AlreadyExists);
    await lease.revoke();
    assert.equal(await store.get(key), undefined);
    const r = await store.create(key, 'again');
    await store.update(key, 'again2', r);
    await store.compact(r);
    await assert.rejects(store.list('/', { revision: r - 1 }), (e: { reason?: string }) => e.reason === StatusReason.Expired);
  });

  it('rejects unusable keys and prefixes with BadRequest, before openStore opens anything', async () => {
    const backend = sqlite().backend;
    const bad: [unknown, RegExp][] = [
      [[], /at least one key/],
      [[{ id: 'a', secret: Buffer.alloc(16) }], /key "a" must be 32 bytes \(got 16 bytes\)/],
      [[{ id: 'has:colon', secret: Buffer.alloc(32) }], /keys\[0\]\.id "has:colon"/],
      [[keyA, { ...keyB, id: 'key-a' }], /key id "key-a" appears twice/],
      [[{ id: 'a', secret: 'base64-string' }], /key "a" must be 32 bytes \(got string\)/],
    ];
    for (const [keys, message] of bad) {
      assert.throws(() => new EncryptingStore(backend, { keys: keys as EncryptionKey[] }), (e) => isBadRequest(e) && message.test((e as Error).message));
    }
    assert.throws(() => new EncryptingStore(backend, { keys: [keyA], prefixes: 'oops' as unknown as string[] }), (e) => isBadRequest(e));
    const file = path.join(dir, 'never', 'fed.db');
    await assert.rejects(openStore(`sqlite:${file}`, { encryption: { keys: [] } }), (e) => isBadRequest(e));
    assert.ok(!fs.existsSync(path.dirname(file)), 'the backend was not opened');
  });

  it('openStore with encryption wraps the backend', async () => {
    const file = path.join(dir, 'opened.db');
    const store = await openStore(`sqlite:${file}`, { encryption: { keys: [keyA] } });
    closers.push(() => store.close());
    assert.ok(store instanceof EncryptingStore);
    assert.ok(store.backend instanceof SqliteStore);
    assert.equal(store.primaryKeyId, 'key-a', 'typed as an EncryptingStore');
    await store.create(storeKey(secrets, 'ns', 's'), 'secret value');
    assert.ok((await store.backend.get(storeKey(secrets, 'ns', 's')))!.value.startsWith(AESGCM_V1_PREFIX));
  });

  describe('on etcd', function () {
    let etcd: EtcdFixture | undefined;
    before(async function () {
      this.timeout(30_000);
      etcd = await startEtcd();
      if (!etcd) {
        console.log(`      ${ETCD_MISSING}`);
        this.skip();
      }
    });
    after(async () => {
      await etcd?.stop();
    });

    it('never puts a Secret’s data into the etcd keyspace, at any revision', async () => {
      const store = await openStore(`${etcd!.url}?prefix=/enc-${process.pid}`, { encryption: { keys: [keyA] } });
      closers.push(() => store.close());
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const later = `pw2-${randomBytes(12).toString('hex')}`;
      const control = `cm-${randomBytes(12).toString('hex')}`;
      const key = storeKey(secrets, 'default', 'db');
      const first = await store.create(key, secretJson('db', password));
      await store.update(key, secretJson('db', later), first);
      await store.create(storeKey(secrets, 'default', 'gone'), secretJson('gone', password));
      await store.delete(storeKey(secrets, 'default', 'gone'));
      const last = await store.create(storeKey(configMaps, 'default', 'cm'), configMapJson('cm', control));
      assert.equal((await store.get(key))!.value, secretJson('db', later));

      const client = new Etcd3({ hosts: `http://127.0.0.1:${etcd!.clientPort}` });
      closers.push(async () => client.close());
      const everything = { key: Buffer.from([0]), range_end: Buffer.from([0]) };
      const values: Buffer[] = [];
      for (let rev = first; rev <= last; rev++) {
        const res = await client.kv.range({ ...everything, revision: rev });
        for (const kv of res.kvs) values.push(kv.value);
      }
      const has = (search: Buffer[]): boolean => values.some((v) => search.some((n) => v.includes(n)));
      assert.ok(has(needles(control)), 'the raw listing finds an unencrypted ConfigMap value');
      assert.ok(!has([...needles(password), ...needles(later)]), 'no Secret plaintext in etcd at any revision');
      const raw = await client.get(`/enc-${process.pid}${key}`).string();
      assert.ok(raw?.startsWith(`${AESGCM_V1_PREFIX}key-a:`), String(raw));
    });
  });
});
