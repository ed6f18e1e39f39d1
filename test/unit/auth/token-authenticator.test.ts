import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBadRequest, type AuthnRequest, type KubeObject } from '../../../apimachinery/index.js';
import {
  ADMIN_TOKEN_FILE,
  ensureAdminToken,
  issueUserToken,
  revokeUserToken,
  TokenAuthenticator,
  USER_TOKEN_PATTERN,
  userTokenSecretInformer,
} from '../../../auth/index.js';
import type { Informer } from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { FakeClock } from '../../fixtures/fake-clock.js';

function bearer(token: string): AuthnRequest {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Resolves on the informer's next event of `type` for Secret `name` (register before the write). */
function nextEvent(informer: Informer<KubeObject>, type: 'add' | 'delete', name: string): Promise<void> {
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    let seen = false;
    const hit = (obj: Readonly<KubeObject>): void => {
      if (obj.metadata.name !== name || seen) return;
      seen = true;
      stop?.();
      resolve();
    };
    stop = informer.addEventHandler(type === 'add' ? { onAdd: hit } : { onDelete: hit });
    if (seen) stop();
  });
}

describe('auth/token-authenticator (user tokens)', () => {
  let store: Store;
  let clock: FakeClock;
  let secrets: Informer<KubeObject>;
  let tokens: TokenAuthenticator;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
    secrets = userTokenSecretInformer(store, clock);
    tokens = new TokenAuthenticator(secrets, { clock, cacheTtlMs: 60_000, negativeCacheTtlMs: 5_000 });
    secrets.start();
    await secrets.waitForSync();
  });
  afterEach(async () => {
    tokens.close();
    secrets.stop();
    await store.close();
  });

  const now = (): Date => new Date(clock.now());

  async function issue(options: Parameters<typeof issueUserToken>[1]): Promise<Awaited<ReturnType<typeof issueUserToken>>> {
    const t = await issueUserToken(store, { now: now(), ...options });
    // The informer sees the Secret once its watch event arrived.
    if (!secrets.getByName('fedgate-system', t.secretName)) await nextEvent(secrets, 'add', t.secretName);
    return t;
  }

  it('issues a token that authenticates as its user and groups; the store keeps only its hash', async () => {
    const t = await issue({ user: 'alice', groups: ['dev', 'ops'], description: 'laptop' });
    assert.match(t.token, USER_TOKEN_PATTERN);
    const result = await tokens.authenticate(bearer(t.token));
    assert.deepEqual(result, { user: { username: 'alice', groups: ['dev', 'ops'], extra: { 'authentication.kubernetes.io/credential-id': [`token-id=${t.id}`] } } });
    const { items } = await store.list('/registry/core/secrets/fedgate-system/');
    assert.equal(items.length, 1);
    const stored = JSON.parse(items[0]!.value) as KubeObject;
    assert.equal(stored['type'], 'fedgate.io/user-token');
    const secretPart = t.token.split('.')[1]!;
    const text = items[0]!.value + JSON.stringify(Object.values(stored['data'] as Record<string, string>).map((v) => Buffer.from(v, 'base64').toString()));
    assert.ok(!text.includes(secretPart), 'the secret part is not stored, in any encoding');
    assert.ok(await store.get('/registry/core/namespaces/fedgate-system'), 'the system namespace is created');
  });

  it('refuses a wrong secret for a known id, and ignores what is not a user token', async () => {
    const t = await issue({ user: 'alice' });
    const [id, secret] = t.token.split('.') as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    assert.deepEqual(await tokens.authenticate(bearer(flipped)), { error: 'invalid bearer token: unknown, revoked or expired user token' });
    assert.ok('error' in ((await tokens.authenticate(bearer(`zzzzzzzzzzzz.${secret}`))) ?? {}), 'unknown id');
    assert.equal(await tokens.authenticate(bearer('abcdef.0123456789abcdef')), null, 'a bootstrap token is not ours');
    assert.equal(await tokens.authenticate(bearer('eyJhbGciOiJFUzI1NiJ9.e30.sig')), null, 'a JWT is not ours');
    assert.equal(await tokens.authenticate({ headers: {} }), null);
    assert.equal(await tokens.authenticate({ headers: { authorization: `Basic ${t.token}` } }), null);
  });

  it('refuses a token once it expired, even while its lookup is cached', async () => {
    const t = await issue({ user: 'bob', ttlSeconds: 5 });
    assert.ok('user' in ((await tokens.authenticate(bearer(t.token))) ?? {}));
    assert.equal(tokens.cachedEntries(), 1);
    await clock.advance(4_999);
    assert.ok('user' in ((await tokens.authenticate(bearer(t.token))) ?? {}), 'valid until the last millisecond');
    await clock.advance(1);
    assert.deepEqual(await tokens.authenticate(bearer(t.token)), { error: 'invalid bearer token: unknown, revoked or expired user token' });
  });

  it('a revocation is seen through the watch and drops the cached lookup at once', async () => {
    const t = await issue({ user: 'carol' });
    assert.ok('user' in ((await tokens.authenticate(bearer(t.token))) ?? {}));
    assert.equal(tokens.cachedEntries(), 1);
    const deleted = nextEvent(secrets, 'delete', t.secretName);
    assert.equal(await revokeUserToken(store, t.token), true);
    await deleted;
    assert.equal(tokens.cachedEntries(), 0, 'the positive entry is gone with the event, not after its TTL');
    assert.ok('error' in ((await tokens.authenticate(bearer(t.token))) ?? {}));
    assert.equal(await revokeUserToken(store, t.id), false, 'already revoked');
    await assert.rejects(revokeUserToken(store, 'not a token'), (err: unknown) => isBadRequest(err));
  });

  it('a token refused before its Secret arrived is accepted as soon as the Secret is seen', async () => {
    secrets.stop();
    const t = await issueUserToken(store, { user: 'dave', now: now() });
    assert.ok('error' in ((await tokens.authenticate(bearer(t.token))) ?? {}), 'not in the cache yet');
    assert.equal(tokens.cachedEntries(), 1, 'the refusal is cached');
    const added = nextEvent(secrets, 'add', t.secretName);
    secrets.start();
    await added;
    assert.ok('user' in ((await tokens.authenticate(bearer(t.token))) ?? {}), 'no waiting for the negative TTL');
  });

  it('keeps the cache bounded: random tokens cannot grow it, answers stay right', async () => {
    const bounded = new TokenAuthenticator(secrets, { clock, maxCacheEntries: 3 });
    try {
      const t = await issue({ user: 'erin' });
      for (let i = 0; i < 10; i++) {
        const random = `${i.toString().padStart(12, 'a')}.${String(i).repeat(43).slice(0, 43)}`;
        assert.ok('error' in ((await bounded.authenticate(bearer(random))) ?? {}));
      }
      assert.equal(bounded.cachedEntries(), 3);
      const result = await bounded.authenticate(bearer(t.token));
      assert.ok(result && 'user' in result && result.user.username === 'erin', 'served uncached when the cache is full');
    } finally {
      bounded.close();
    }
  });

  it('refuses tokens until the Secret cache has synced', async () => {
    const cold = userTokenSecretInformer(store, clock);
    const auth = new TokenAuthenticator(cold, { clock });
    const result = await auth.authenticate(bearer(`abcdefabcdef.${'A'.repeat(43)}`));
    assert.ok(result && 'error' in result && /not synced/.test(result.error));
    auth.close();
  });

  it('rejects bad issue options with BadRequest', async () => {
    await assert.rejects(issueUserToken(store, { user: '' }), (err: unknown) => isBadRequest(err));
    await assert.rejects(issueUserToken(store, { user: 'a', groups: ['x,y'] }), (err: unknown) => isBadRequest(err));
    await assert.rejects(issueUserToken(store, { user: 'a', ttlSeconds: 0 }), (err: unknown) => isBadRequest(err));
    await assert.rejects(issueUserToken(store, { user: 'a', ttlSeconds: Number.NaN }), (err: unknown) => isBadRequest(err));
  });

  describe('ensureAdminToken', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fedgate-admin-token-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('creates the admin token at first start (file 0600), returns it later, replaces it when the store lost it', async () => {
      const first = await ensureAdminToken(store, dir);
      const file = join(dir, ADMIN_TOKEN_FILE);
      assert.equal((await readFile(file, 'utf8')).trim(), first);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const name = `user-token-${first.split('.')[0]}`;
      if (!secrets.getByName('fedgate-system', name)) await nextEvent(secrets, 'add', name);
      const result = await tokens.authenticate(bearer(first));
      assert.ok(result && 'user' in result);
      assert.equal(result.user.username, 'admin');
      assert.deepEqual(result.user.groups, ['system:masters']);

      assert.equal(await ensureAdminToken(store, dir), first, 'a later start returns the same token');

      await revokeUserToken(store, first);
      const second = await ensureAdminToken(store, dir);
      assert.notEqual(second, first);
      assert.equal((await readFile(file, 'utf8')).trim(), second);

      const other = await openStore('sqlite::memory:');
      try {
        const third = await ensureAdminToken(other, dir);
        assert.notEqual(third, second, 'a store that never knew the token gets a new one');
      } finally {
        await other.close();
      }
    });

    it('replaces a file that holds no valid token', async () => {
      await writeFile(join(dir, ADMIN_TOKEN_FILE), 'garbage\n', { mode: 0o644 });
      const token = await ensureAdminToken(store, dir);
      assert.match(token, USER_TOKEN_PATTERN);
      assert.equal((await stat(join(dir, ADMIN_TOKEN_FILE))).mode & 0o777, 0o600);
    });
  });
});
