import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusError, StatusReason, SYSTEM_NAMESPACE, type KubeObject } from '../../../../apimachinery/index.js';
import {
  BOOTSTRAP_TOKEN_PATTERN,
  bootstrapTokenKey,
  bootstrapTokenSecret,
  consumeToken,
  createToken,
  generateToken,
} from '../../../../replicator/join/index.js';
import { SqliteStore } from '../../../../store/index.js';

function refusedWith(message: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StatusError, `not a StatusError: ${String(err)}`);
    assert.equal(err.reason, StatusReason.Unauthorized);
    assert.match(err.message, message);
    return true;
  };
}

describe('replicator/join bootstrap tokens', () => {
  let dir: string;
  let store: SqliteStore;
  const t0 = new Date('2030-01-01T00:00:00Z');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-tokens-'));
    store = SqliteStore.open({ path: path.join(dir, 'fed.db') });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates tokens in the Kubernetes bootstrap-token format, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateToken(60, t0);
      assert.match(t.token, BOOTSTRAP_TOKEN_PATTERN);
      assert.equal(t.token, `${t.id}.${t.secret}`);
      seen.add(t.token);
    }
    assert.equal(seen.size, 200);
    assert.throws(() => generateToken(0, t0), RangeError);
  });

  it('stores a Secret of type bootstrap.kubernetes.io/token in fedgate-system, and the namespace', async () => {
    const t = await createToken(store, { ttlSeconds: 3600, description: 'for eu-west', now: t0 });
    const kv = await store.get(bootstrapTokenKey(t.id));
    assert.ok(kv);
    assert.equal(kv.key, `/registry/core/secrets/${SYSTEM_NAMESPACE}/bootstrap-token-${t.id}`);
    const secret = JSON.parse(kv.value) as KubeObject;
    assert.equal(secret['type'], 'bootstrap.kubernetes.io/token');
    assert.equal(secret.metadata.namespace, SYSTEM_NAMESPACE);
    assert.ok(secret.metadata.uid);
    assert.equal(secret.metadata.creationTimestamp, '2030-01-01T00:00:00Z');
    const data = secret['data'] as Record<string, string>;
    const decoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(decoded, {
      'token-id': t.id,
      'token-secret': t.secret,
      expiration: '2030-01-01T01:00:00Z',
      'usage-bootstrap-authentication': 'true',
      description: 'for eu-west',
    });
    // The stored shape is the shared one plus server metadata.
    const shape = bootstrapTokenSecret(t);
    assert.deepEqual(secret['data'], shape['data']);
    const ns = await store.get(`/registry/core/namespaces/${SYSTEM_NAMESPACE}`);
    assert.ok(ns);
    assert.equal((JSON.parse(ns.value) as KubeObject).kind, 'Namespace');
    // A second token reuses the namespace.
    await createToken(store, { ttlSeconds: 60, now: t0 });
    assert.equal((await store.list('/registry/core/secrets/')).items.length, 2);
  });

  it('consumes a valid token once and deletes its Secret', async () => {
    const t = await createToken(store, { ttlSeconds: 3600, description: 'd', now: t0 });
    const used = await consumeToken(store, t.token, new Date(t0.getTime() + 1000));
    assert.deepEqual(used, { id: t.id, description: 'd' });
    assert.equal(await store.get(bootstrapTokenKey(t.id)), undefined);
    await assert.rejects(consumeToken(store, t.token, t0), refusedWith(/^bootstrap token is invalid or has expired$/));
  });

  it('refuses a wrong secret, an unknown id and a malformed token with the same message', async () => {
    const t = await createToken(store, { ttlSeconds: 3600, now: t0 });
    const wrong = `${t.id}.${t.secret.startsWith('a') ? 'b' : 'a'}${t.secret.slice(1)}`;
    await assert.rejects(consumeToken(store, wrong, t0), refusedWith(/^bootstrap token is invalid or has expired$/));
    await assert.rejects(consumeToken(store, 'zzzzzz.0123456789abcdef', t0), refusedWith(/^bootstrap token is invalid or has expired$/));
    await assert.rejects(consumeToken(store, 'not-a-token', t0), refusedWith(/bootstrap token is invalid or has expired \(expected/));
    // A wrong guess does not burn the token.
    assert.ok(await store.get(bootstrapTokenKey(t.id)));
    await consumeToken(store, t.token, t0);
  });

  it('refuses an expired token (injected now) and removes it', async () => {
    const t = await createToken(store, { ttlSeconds: 60, now: t0 });
    await assert.rejects(consumeToken(store, t.token, new Date(t0.getTime() + 60_000)), refusedWith(/invalid or has expired/));
    assert.equal(await store.get(bootstrapTokenKey(t.id)), undefined);
    const fresh = await createToken(store, { ttlSeconds: 60, now: t0 });
    await consumeToken(store, fresh.token, new Date(t0.getTime() + 59_999));
  });

  it('lets exactly one of two concurrent consumes win', async () => {
    for (let round = 0; round < 20; round++) {
      const t = await createToken(store, { ttlSeconds: 3600, now: t0 });
      const results = await Promise.allSettled([consumeToken(store, t.token, t0), consumeToken(store, t.token, t0)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1, `round ${round}: ${won.length} winners`);
      assert.equal(lost.length, 1);
      refusedWith(/^bootstrap token (was already used|is invalid or has expired)$/)(lost[0]?.reason);
    }
  });

  it('reports the race as "already used" when both read the Secret before either deleted it', async () => {
    const t = await createToken(store, { ttlSeconds: 3600, now: t0 });
    // Two stores over one database file: two independent clients of the same data.
    const other = SqliteStore.open({ path: path.join(dir, 'fed.db') });
    try {
      let open!: () => void;
      const gate = { promise: new Promise<void>((r) => (open = r)), resolve: () => open() };
      let reads = 0;
      const paused = (s: SqliteStore): SqliteStore =>
        new Proxy(s, {
          get(target, prop, receiver) {
            if (prop === 'get') {
              return async (key: string) => {
                const kv = await target.get(key);
                if (++reads === 2) gate.resolve();
                await gate.promise;
                return kv;
              };
            }
            const v = Reflect.get(target, prop, receiver) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
      const results = await Promise.allSettled([consumeToken(paused(store), t.token, t0), consumeToken(paused(other), t.token, t0)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      refusedWith(/^bootstrap token was already used$/)(lost?.reason);
    } finally {
      await other.close();
    }
  });
});
