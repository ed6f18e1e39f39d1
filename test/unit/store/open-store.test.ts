import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusReason, isBadRequest } from '../../../apimachinery/index.js';
import { SqliteStore, openStore, parseStoreUrl } from '../../../store/index.js';

describe('open-store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-open-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses sqlite and etcd URLs', () => {
    assert.deepEqual(parseStoreUrl('sqlite:./data/fed.db'), { backend: 'sqlite', path: './data/fed.db' });
    assert.deepEqual(parseStoreUrl('sqlite:///var/lib/fed.db'), { backend: 'sqlite', path: '/var/lib/fed.db' });
    assert.deepEqual(parseStoreUrl('sqlite::memory:'), { backend: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseStoreUrl('sqlite::memory'), { backend: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseStoreUrl('sqlite:/x.db?synchronous=normal'), { backend: 'sqlite', path: '/x.db', synchronous: 'NORMAL' });
    assert.deepEqual(parseStoreUrl('etcd://127.0.0.1:2379'), { backend: 'etcd', hosts: ['127.0.0.1:2379'], prefix: '' });
    assert.deepEqual(parseStoreUrl('etcd://127.0.0.1:2379,127.0.0.2:2379?prefix=/fedgate'), {
      backend: 'etcd',
      hosts: ['127.0.0.1:2379', '127.0.0.2:2379'],
      prefix: '/fedgate',
    });
  });

  it('rejects unknown schemes and malformed URLs with BadRequest', async () => {
    for (const url of ['', 'nothing', 'mysql://x', 'sqlite:', 'etcd:127.0.0.1:2379', 'etcd://', 'etcd://host', 'etcd://h:99999', 'sqlite:/x?synchronous=off']) {
      assert.throws(() => parseStoreUrl(url), (err) => isBadRequest(err), url);
    }
    await assert.rejects(openStore('redis://localhost:6379'), /unknown scheme "redis"/);
  });

  it('creates the parent directory of a SQLite file', async () => {
    const file = path.join(dir, 'a', 'b', 'fed.db');
    const store = await openStore(`sqlite:${file}`);
    await store.create('/x', '1');
    await store.close();
    assert.ok(fs.existsSync(file));
  });

  it('explains an unwritable SQLite path', async () => {
    // A file where a directory must go fails for every user (root ignores permission bits).
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const err = await openStore(`sqlite:${path.join(blocker, 'sub', 'fed.db')}`).catch((e: unknown) => e);
    assert.equal((err as { reason?: string }).reason, StatusReason.InternalError);
    assert.match(String((err as Error).message), /cannot open SQLite store at .*file\/sub\/fed\.db/);
  });

  it('opens a SqliteStore for sqlite URLs', async () => {
    const store = await openStore('sqlite::memory:');
    assert.ok(store instanceof SqliteStore);
    await store.close();
  });
});
