/**
 * `fedgate encryption-key list|rotate|reencrypt|prune` on a real data directory (SQLite file
 * and key file): the full rotation, the refusal to prune while a value still needs an old
 * key, and clear errors for bad input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEncryptionKeys, loadOrCreateEncryptionKeys, openStore } from '../../store/index.js';
import { runFedgate } from '../fixtures/cli-run.js';

const SECRET_KEYS = ['/registry/core/secrets/shop/a', '/registry/core/secrets/shop/b', '/registry/core/secrets/bank/c'];
const PLAINTEXT = 'plaintext-marker-7f3a9c';

describe('fedgate encryption-key', function () {
  this.timeout(120_000);
  let dir: string;
  let keyFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-enc-cli-'));
    keyFile = join(dir, 'encryption-keys.yaml');
    const { keys } = loadOrCreateEncryptionKeys(keyFile);
    const store = await openStore(`sqlite:${join(dir, 'fedgate.db')}`, { encryption: { keys } });
    for (const key of SECRET_KEYS) await store.create(key, JSON.stringify({ data: { password: PLAINTEXT } }));
    await store.create('/registry/core/configmaps/shop/plain', '{"data":{}}');
    await store.close();
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the command and returns its output; fails with both streams when the exit code differs. */
  async function fedgate(args: string[], expectCode = 0): Promise<string> {
    const r = await runFedgate(['encryption-key', ...args, '--data', dir]);
    assert.equal(r.code, expectCode, `fedgate encryption-key ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r.stdout + r.stderr;
  }

  /** KEY → VALUES from `list`. */
  async function usage(): Promise<Record<string, number>> {
    const out = await fedgate(['list']);
    const rows = out.split('\n').filter((l) => /\s\d+$/.test(l) && !l.startsWith('KEY'));
    return Object.fromEntries(rows.map((l) => [l.split(/\s+/)[0]!, Number(l.split(/\s+/).at(-1))]));
  }

  it('rotates, re-encrypts and prunes, refusing to prune while a value needs an old key', async () => {
    const first = loadEncryptionKeys(keyFile).keys[0]!.id;
    assert.deepEqual(await usage(), { [first]: 3 });

    const rotated = await fedgate(['rotate', '--id', 'key-second']);
    assert.match(rotated, /added key key-second first/);
    assert.deepEqual(loadEncryptionKeys(keyFile).keys.map((k) => k.id), ['key-second', first]);
    assert.deepEqual(await usage(), { 'key-second': 0, [first]: 3 });

    const refused = await fedgate(['prune'], 1);
    assert.match(refused, /3 values are not yet sealed with key-second/);
    assert.deepEqual(loadEncryptionKeys(keyFile).keys.map((k) => k.id), ['key-second', first], 'the key file is unchanged');

    assert.match(await fedgate(['reencrypt']), /scanned 3 values: rewrote 3 with key key-second, 0 already current/);
    assert.deepEqual(await usage(), { 'key-second': 3, [first]: 0 });
    assert.match(await fedgate(['reencrypt']), /rewrote 0 .*3 already current/, 'a second run rewrites nothing');

    assert.match(await fedgate(['prune']), new RegExp(`removed ${first} .*all 3 values are sealed with key-second`));
    const keys = loadEncryptionKeys(keyFile).keys;
    assert.deepEqual(keys.map((k) => k.id), ['key-second']);

    // Readable with the new key alone; no plaintext on disk.
    const store = await openStore(`sqlite:${join(dir, 'fedgate.db')}`, { encryption: { keys } });
    try {
      for (const key of SECRET_KEYS) assert.match((await store.get(key))!.value, new RegExp(PLAINTEXT));
    } finally {
      await store.close();
    }
    for (const file of ['fedgate.db', 'fedgate.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(dir, file));
      } catch {
        continue;
      }
      assert.equal(bytes.includes(PLAINTEXT), false, `${file} holds no plaintext`);
    }
    assert.match(await fedgate(['prune']), /holds one key \(key-second\): nothing to prune/);
  });

  it('several gateways: --second adds a decrypt-only key, promote moves it first', async () => {
    const before = loadEncryptionKeys(keyFile).keys.map((k) => k.id);
    assert.match(await fedgate(['rotate', '--second', '--id', 'key-third']), /added key key-third second/);
    assert.deepEqual(loadEncryptionKeys(keyFile).keys.map((k) => k.id), [before[0], 'key-third', ...before.slice(1)]);
    assert.match(await fedgate(['promote', 'key-third']), /key-third now encrypts/);
    assert.deepEqual(loadEncryptionKeys(keyFile).keys.map((k) => k.id), ['key-third', ...before]);
    assert.match(await fedgate(['promote', 'key-missing'], 1), /no key "key-missing" in .*it holds key-third/);
  });

  it('bad input: an invalid or taken key id, a missing key file or store', async () => {
    assert.match(await fedgate(['rotate', '--id', 'bad id!'], 1), /--id "bad id!" is not a key id/);
    assert.match(await fedgate(['rotate', '--id', 'key-second'], 1), /--id "key-second" is already in/);
    const empty = mkdtempSync(join(tmpdir(), 'fedgate-enc-cli-empty-'));
    try {
      const noKeys = await runFedgate(['encryption-key', 'list', '--data', empty]);
      assert.equal(noKeys.code, 1);
      assert.match(noKeys.stderr, /encryption key file .*encryption-keys\.yaml: no such file/);
      loadOrCreateEncryptionKeys(join(empty, 'encryption-keys.yaml'));
      const noStore = await runFedgate(['encryption-key', 'reencrypt', '--data', empty]);
      assert.equal(noStore.code, 1);
      assert.match(noStore.stderr, /no store in .*neither fedgate\.db nor member\.db/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
