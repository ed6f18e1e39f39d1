import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInvalid, ResourceRegistry, storeKey, type AuthnRequest, type ServiceAccount } from '../../../apimachinery/index.js';
import {
  decodeJwt,
  issueServiceAccountToken,
  loadOrCreateServiceAccountKey,
  SERVICE_ACCOUNT_KEY_FILE,
  ServiceAccountTokenAuthenticator,
  serviceAccountKeyFromPem,
  serviceAccountTokenRequest,
  signJwt,
  UnionAuthenticator,
  type ServiceAccountKey,
} from '../../../auth/index.js';
import { SharedInformerFactory, silentLogger, type Informer } from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { FakeClock } from '../../fixtures/fake-clock.js';
import { tick } from './rbac-fixture.js';

function bearer(token: string, audiences?: string[]): AuthnRequest {
  return audiences ? { headers: { authorization: `Bearer ${token}` }, audiences } : { headers: { authorization: `Bearer ${token}` } };
}

function b64json(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function reencode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('auth/service-account tokens', () => {
  let dir: string;
  let key: ServiceAccountKey;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedgate-sa-key-'));
    key = await loadOrCreateServiceAccountKey(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('the signing key', () => {
    it('is created once as a P-256 key in a 0600 file and read back on later starts', async () => {
      assert.equal(key.algorithm, 'ES256');
      assert.equal((await stat(join(dir, SERVICE_ACCOUNT_KEY_FILE))).mode & 0o777, 0o600);
      const again = await loadOrCreateServiceAccountKey(dir);
      assert.equal(again.keyId, key.keyId);
    });

    it('concurrent starts creating it at once end up with the same key', async () => {
      const fresh = await mkdtemp(join(tmpdir(), 'fedgate-sa-key-'));
      try {
        const keys = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateServiceAccountKey(fresh)));
        assert.equal(new Set(keys.map((k) => k.keyId)).size, 1);
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    });

    it('an RSA key signs RS256; anything else is refused with a clear error', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsa = serviceAccountKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      assert.equal(rsa.algorithm, 'RS256');
      const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      assert.throws(() => serviceAccountKeyFromPem(ed), /RSA or P-256/);
      assert.throws(() => serviceAccountKeyFromPem('not a key'), /not a PEM private key/);
      const bad = await mkdtemp(join(tmpdir(), 'fedgate-sa-key-'));
      try {
        await writeFile(join(bad, SERVICE_ACCOUNT_KEY_FILE), 'garbage');
        await assert.rejects(loadOrCreateServiceAccountKey(bad), /not a PEM private key/);
      } finally {
        await rm(bad, { recursive: true, force: true });
      }
    });
  });

  describe('ServiceAccountTokenAuthenticator', () => {
    let store: Store;
    let factory: SharedInformerFactory;
    let accounts: Informer<ServiceAccount>;
    let clock: FakeClock;
    let auth: ServiceAccountTokenAuthenticator;
    const registry = new ResourceRegistry();
    const saResource = registry.resolve('serviceaccounts')!;

    async function putAccount(name: string, uid: string): Promise<ServiceAccount> {
      const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'shop', uid } };
      const key = storeKey(saResource, 'shop', name);
      const rev = await store.create(key, JSON.stringify(sa));
      while (Number(accounts.lastSyncResourceVersion()) < rev) await tick();
      return sa;
    }

    async function dropAccount(name: string): Promise<void> {
      const rev = await store.delete(storeKey(saResource, 'shop', name));
      while (Number(accounts.lastSyncResourceVersion()) < rev) await tick();
    }

    beforeEach(async () => {
      store = await openStore('sqlite::memory:');
      clock = new FakeClock(Date.parse('2025-03-01T12:00:00Z'));
      factory = new SharedInformerFactory(store, registry, { logger: silentLogger });
      accounts = factory.informerFor<ServiceAccount>('serviceaccounts');
      auth = new ServiceAccountTokenAuthenticator({ serviceAccounts: accounts, keys: [key], clock });
      factory.start();
      await factory.waitForSync();
    });
    afterEach(async () => {
      factory.stop();
      await store.close();
    });

    const issue = (sa: ServiceAccount, options: { audiences?: string[]; expirationSeconds?: number; now?: Date } = {}): string =>
      issueServiceAccountToken(sa, { key, now: new Date(clock.now()), ...options }).token;

    it('accepts a valid token as system:serviceaccount:NS:NAME with the account groups, uid and jti', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const token = issue(sa);
      const claims = b64json(token.split('.')[1]!);
      assert.equal(claims['iss'], 'https://fedgate.default.svc');
      assert.equal(claims['sub'], 'system:serviceaccount:shop:deployer');
      assert.deepEqual(claims['aud'], ['https://fedgate.default.svc']);
      assert.equal(claims['exp'], claims['iat']! as number + 3600);
      assert.deepEqual(claims['kubernetes.io'], { namespace: 'shop', serviceaccount: { name: 'deployer', uid: 'uid-1' } });
      assert.equal(b64json(token.split('.')[0]!)['kid'], key.keyId);
      assert.deepEqual(await auth.authenticate(bearer(token)), {
        user: {
          username: 'system:serviceaccount:shop:deployer',
          uid: 'uid-1',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:shop'],
          extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${String(claims['jti'])}`] },
        },
        audiences: ['https://fedgate.default.svc'],
      });
    });

    it('refuses a tampered payload, a tampered signature, alg "none" and another key', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const token = issue(sa);
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = b64json(p);
      const otherNamespace = { ...claims, 'kubernetes.io': { namespace: 'bank', serviceaccount: { name: 'deployer', uid: 'uid-1' } }, sub: 'system:serviceaccount:bank:deployer' };
      const refused = async (t: string): Promise<string> => {
        const r = await auth.authenticate(bearer(t));
        assert.ok(r && 'error' in r, `refused: ${JSON.stringify(r)}`);
        return r.error;
      };
      assert.match(await refused(`${h}.${reencode(otherNamespace)}.${s}`), /invalid signature/);
      const sig = Buffer.from(s, 'base64url');
      sig[5] ^= 0xff;
      assert.match(await refused(`${h}.${p}.${sig.toString('base64url')}`), /invalid signature/);
      assert.match(await refused(`${reencode({ alg: 'none', typ: 'JWT' })}.${p}.`), /invalid signature/);
      assert.match(await refused(`${reencode({ alg: 'HS256', typ: 'JWT' })}.${p}.${s}`), /invalid signature/);
      const stranger = serviceAccountKeyFromPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      assert.match(await refused(signJwt(claims, stranger.privateKey)), /invalid signature/);
      assert.ok(decodeJwt(token), 'the original still decodes');
      assert.ok('user' in ((await auth.authenticate(bearer(token))) ?? {}), 'and still authenticates');
    });

    it('refuses an expired token and one not valid yet, on the injected clock', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const token = issue(sa, { expirationSeconds: 600 });
      await clock.advance(599_999);
      assert.ok('user' in ((await auth.authenticate(bearer(token))) ?? {}));
      await clock.advance(1);
      assert.deepEqual(await auth.authenticate(bearer(token)), { error: 'service account token has expired' });
      const future = issue(sa, { now: new Date(clock.now() + 60_000) });
      assert.deepEqual(await auth.authenticate(bearer(future)), { error: 'service account token is not valid yet' });
    });

    it('checks the audience: the API server’s by default, the requested ones for a TokenReview', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const vault = issue(sa, { audiences: ['vault'] });
      assert.deepEqual(await auth.authenticate(bearer(vault)), {
        error: 'token audiences ["vault"] is invalid for the target audiences ["https://fedgate.default.svc"]',
      });
      const r = await auth.authenticate(bearer(vault, ['vault', 'other']));
      assert.ok(r && 'user' in r);
      assert.deepEqual(r.audiences, ['vault']);
    });

    it('refuses tokens of a deleted account, and of a re-created account of the same name', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const token = issue(sa);
      await dropAccount('deployer');
      assert.deepEqual(await auth.authenticate(bearer(token)), { error: 'service account shop/deployer has been deleted' });
      await putAccount('deployer', 'uid-2');
      assert.deepEqual(await auth.authenticate(bearer(token)), { error: 'service account UID (uid-2) does not match claim (uid-1)' });
    });

    it('leaves tokens of other issuers and non-JWTs to other authenticators', async () => {
      const sa = await putAccount('deployer', 'uid-1');
      const foreign = issueServiceAccountToken(sa, { key, issuer: 'https://elsewhere' }).token;
      assert.equal(await auth.authenticate(bearer(foreign)), null);
      assert.equal(await auth.authenticate(bearer('abcdefabcdef.xyz')), null);
      assert.equal(await auth.authenticate({ headers: {} }), null);
      // Nobody claims it, so the chain calls the bearer token invalid rather than anonymous.
      assert.deepEqual(await new UnionAuthenticator([auth]).authenticate(bearer(foreign)), { error: 'invalid bearer token' });
    });

    it('verifies RS256 tokens with an RSA key and accepts a second (rotated) key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsa = serviceAccountKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const sa = await putAccount('deployer', 'uid-1');
      const token = issueServiceAccountToken(sa, { key: rsa, now: new Date(clock.now()) }).token;
      assert.equal(b64json(token.split('.')[0]!)['alg'], 'RS256');
      const both = new ServiceAccountTokenAuthenticator({ serviceAccounts: accounts, keys: [key, rsa.publicKey], clock });
      assert.ok('user' in ((await both.authenticate(bearer(token))) ?? {}));
      assert.ok('error' in ((await auth.authenticate(bearer(token))) ?? {}), 'not with the ES256 key alone');
    });
  });

  describe('TokenRequest', () => {
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'shop', uid: 'u-9' } };
    const now = new Date('2025-03-01T12:00:00Z');

    it('answers a kubectl create token body (nulls included) with a token and its expiry', () => {
      const body = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: { creationTimestamp: null },
        spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
        status: { token: '', expirationTimestamp: null },
      };
      const answer = serviceAccountTokenRequest(sa, body, { key, now });
      assert.equal(answer.kind, 'TokenRequest');
      assert.equal(answer.status?.expirationTimestamp, '2025-03-01T13:00:00Z');
      assert.deepEqual(answer.spec.audiences, ['https://fedgate.default.svc']);
      const claims = b64json(answer.status!.token.split('.')[1]!);
      assert.equal(claims['sub'], 'system:serviceaccount:shop:builder');
    });

    it('uses the requested audiences and lifetime', () => {
      const answer = serviceAccountTokenRequest(sa, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 7200 } }, { key, now });
      assert.equal(answer.status?.expirationTimestamp, '2025-03-01T14:00:00Z');
      assert.deepEqual(b64json(answer.status!.token.split('.')[1]!)['aud'], ['vault']);
    });

    it('refuses lifetimes under 10 minutes or over 2^32 s, bound objects and bad bodies with Invalid', () => {
      const req = (spec: Record<string, unknown>): unknown => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
      assert.throws(() => serviceAccountTokenRequest(sa, req({ expirationSeconds: 599 }), { key, now }), (err: unknown) => isInvalid(err) && /less than 10 minutes/.test(String(err)));
      assert.throws(() => serviceAccountTokenRequest(sa, req({ expirationSeconds: 2 ** 32 + 1 }), { key, now }), (err: unknown) => isInvalid(err) && /2\^32/.test(String(err)));
      assert.throws(() => serviceAccountTokenRequest(sa, req({ boundObjectRef: { kind: 'Pod', name: 'p' } }), { key, now }), (err: unknown) => isInvalid(err));
      assert.throws(() => serviceAccountTokenRequest(sa, req({ audiences: 'vault' }), { key, now }), (err: unknown) => isInvalid(err));
      assert.throws(() => serviceAccountTokenRequest(sa, 'nonsense', { key, now }), (err: unknown) => isInvalid(err));
    });

    it('needs the account’s uid', () => {
      assert.throws(() => issueServiceAccountToken({ metadata: { name: 'x', namespace: 'shop' } }, { key }), /uid/);
    });
  });
});
