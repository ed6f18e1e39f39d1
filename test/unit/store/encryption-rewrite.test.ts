import assert from 'node:assert/strict';
import { builtinResources, resourcePrefix, storeKey } from '../../../apimachinery/index.js';
import {
  AESGCM_V1_PREFIX,
  EncryptingStore,
  generateEncryptionKey,
  isDecryptionError,
  openStore,
  reencryptAll,
  type EncryptionKey,
  type Store,
} from '../../../store/index.js';

const secrets = builtinResources.find((r) => r.kind === 'Secret')!;
const configMaps = builtinResources.find((r) => r.kind === 'ConfigMap')!;
const secretKey = (name: string): string => storeKey(secrets, 'default', name);

/** The backend, with `before(key)` run ahead of each update: another writer acting in between. */
function interfering(backend: Store, before: (key: string) => Promise<void>): Store {
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === 'update') {
        return async (key: string, value: string, rev: number) => {
          await before(key);
          return target.update(key, value, rev);
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('encryption-rewrite', () => {
  let backend: Store;
  let keyA: EncryptionKey;
  let keyB: EncryptionKey;
  beforeEach(async () => {
    backend = await openStore('sqlite::memory:');
    keyA = generateEncryptionKey('key-a');
    keyB = generateEncryptionKey('key-b');
  });
  afterEach(() => backend.close());

  const keyIdOf = async (key: string): Promise<string | undefined> => {
    const raw = (await backend.get(key))!.value;
    return raw.startsWith(AESGCM_V1_PREFIX) ? raw.slice(AESGCM_V1_PREFIX.length).split(':', 1)[0] : undefined;
  };

  it('rotates keys: the old key still decrypts, the rewrite moves everything to the new key, then the old key can go', async () => {
    const before = new EncryptingStore(backend, { keys: [keyA] });
    for (let i = 0; i < 5; i++) await before.create(secretKey(`s${i}`), `value-${i}`);
    await backend.create(secretKey('legacy'), 'written before encryption');
    const cmRev = await before.create(storeKey(configMaps, 'default', 'cm'), 'not secret');

    // Step 1: the new key goes first; the old one stays to decrypt.
    const during = new EncryptingStore(backend, { keys: [keyB, keyA] });
    assert.equal((await during.get(secretKey('s3')))!.value, 'value-3');
    await during.create(secretKey('fresh'), 'new');
    assert.equal(await keyIdOf(secretKey('fresh')), 'key-b');

    // Step 2: rewrite; paging must not skip or repeat a key.
    const result = await reencryptAll(during, undefined, { pageSize: 2 });
    assert.deepEqual(result, { scanned: 7, rewritten: 6, current: 1, vanished: 0, failed: [], byKey: { 'key-a': 5, 'key-b': 1, plaintext: 1 } });
    for (const name of ['s0', 's1', 's2', 's3', 's4', 'legacy', 'fresh']) assert.equal(await keyIdOf(secretKey(name)), 'key-b', name);
    assert.equal((await backend.get(storeKey(configMaps, 'default', 'cm')))!.modRevision, cmRev, 'other prefixes untouched');
    assert.deepEqual(await reencryptAll(during), { scanned: 7, rewritten: 0, current: 7, vanished: 0, failed: [], byKey: { 'key-b': 7 } }, 'a second run rewrites nothing');

    // Step 3: without the old key everything still reads; the old key alone reads nothing.
    const after = new EncryptingStore(backend, { keys: [keyB] });
    const items = (await after.list(resourcePrefix(secrets))).items;
    assert.deepEqual(
      items.map((kv) => [kv.key.slice(resourcePrefix(secrets).length), kv.value]),
      [['default/fresh', 'new'], ['default/legacy', 'written before encryption'], ...[0, 1, 2, 3, 4].map((i) => [`default/s${i}`, `value-${i}`])],
    );
    await assert.rejects(before.get(secretKey('s0')), (e) => isDecryptionError(e) && /encryption key "key-b"/.test((e as Error).message));
  });

  it('never loses a concurrent write: a conflict re-reads, and a deleted key is skipped', async () => {
    const old = new EncryptingStore(backend, { keys: [keyA] });
    for (const name of ['a', 'b', 'c', 'd']) await old.create(secretKey(name), `v-${name}`);
    const current = new EncryptingStore(backend, { keys: [keyB, keyA] });
    const seen = new Set<string>();
    const racing = new EncryptingStore(
      interfering(backend, async (key) => {
        if (seen.has(key)) return;
        seen.add(key);
        const kv = (await current.get(key))!;
        // a: a writer still on the old key; b: a writer on the new key; c: deleted.
        if (key === secretKey('a')) await old.update(key, 'a-by-old-writer', kv.modRevision);
        if (key === secretKey('b')) await current.update(key, 'b-by-new-writer', kv.modRevision);
        if (key === secretKey('c')) await current.delete(key);
      }),
      { keys: [keyB, keyA] },
    );
    const result = await reencryptAll(racing);
    assert.deepEqual(result, { scanned: 4, rewritten: 2, current: 1, vanished: 1, failed: [], byKey: { 'key-a': 4 } });
    assert.equal((await current.get(secretKey('a')))!.value, 'a-by-old-writer');
    assert.equal((await current.get(secretKey('b')))!.value, 'b-by-new-writer');
    assert.equal(await current.get(secretKey('c')), undefined);
    assert.equal((await current.get(secretKey('d')))!.value, 'v-d');
    for (const name of ['a', 'b', 'd']) assert.equal(await keyIdOf(secretKey(name)), 'key-b', name);
  });

  it('dry run: counts what a rewrite would change and what cannot be decrypted, and writes nothing', async () => {
    const old = new EncryptingStore(backend, { keys: [keyA] });
    await old.create(secretKey('a'), 'va');
    await old.create(secretKey('b'), 'vb');
    const store = new EncryptingStore(backend, { keys: [keyB, keyA] });
    await store.create(secretKey('c'), 'vc');
    const lost = new EncryptingStore(backend, { keys: [generateEncryptionKey('key-lost')] });
    await lost.create(secretKey('orphan'), 'vo');
    const revisions = await Promise.all(['a', 'b', 'c', 'orphan'].map(async (n) => (await backend.get(secretKey(n)))!.modRevision));
    const result = await reencryptAll(store, undefined, { dryRun: true });
    assert.equal(result.rewritten, 2);
    assert.equal(result.current, 1);
    assert.deepEqual(result.failed.map((f) => f.key), [secretKey('orphan')]);
    assert.deepEqual(result.byKey, { 'key-a': 2, 'key-b': 1, 'key-lost': 1 });
    const after = await Promise.all(['a', 'b', 'c', 'orphan'].map(async (n) => (await backend.get(secretKey(n)))!.modRevision));
    assert.deepEqual(after, revisions, 'nothing written');
  });

  it('reports values it cannot decrypt and rewrites the rest', async () => {
    const lost = new EncryptingStore(backend, { keys: [generateEncryptionKey('key-lost')] });
    await lost.create(secretKey('orphan'), 'unreadable now');
    const store = new EncryptingStore(backend, { keys: [keyA] });
    await backend.create(secretKey('plain'), 'plaintext');
    const result = await reencryptAll(store);
    assert.equal(result.rewritten, 1);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]!.key, secretKey('orphan'));
    assert.match(result.failed[0]!.message, /encryption key "key-lost"\): no such encryption key is configured/);
    assert.equal(await keyIdOf(secretKey('plain')), 'key-a');
  });

  it('turns encryption off: with no encrypted prefixes the rewrite stores plaintext again', async () => {
    const on = new EncryptingStore(backend, { keys: [keyA] });
    await on.create(secretKey('x'), 'secret-x');
    await on.create('/registry/core/secrets/default/y', 'secret-y');
    const off = new EncryptingStore(backend, { keys: [keyA], prefixes: [] });
    assert.equal((await off.get(secretKey('x')))!.value, 'secret-x', 'still decrypts');
    const result = await reencryptAll(off, [resourcePrefix(secrets), '/registry/core/secrets/default/']);
    assert.deepEqual(result, { scanned: 2, rewritten: 2, current: 0, vanished: 0, failed: [], byKey: { 'key-a': 2 } }, 'overlapping prefixes scan once');
    assert.equal((await backend.get(secretKey('x')))!.value, 'secret-x');
    assert.equal((await backend.get(secretKey('y')))!.value, 'secret-y');
  });
});
