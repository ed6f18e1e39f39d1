/**
 * Authentication and RBAC cost per request: decisions per second of the RBAC authorizer with
 * few and with many bindings of other users in the store (the subject index should keep the
 * two close), and authentications per second of a user token (cached and uncached) and of a
 * service account JWT (signature remembered, and an ECDSA verification every time).
 *
 *   npx tsx bench/auth.ts
 *   FEDGATE_BENCH_BINDINGS=20000 npx tsx bench/auth.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RBAC_API_VERSION, ResourceRegistry, storeKey, type KubeObject, type ServiceAccount, type UserInfo } from '../apimachinery/index.js';
import {
  ensureBootstrapPolicy,
  issueServiceAccountToken,
  issueUserToken,
  loadOrCreateServiceAccountKey,
  RbacAuthorizer,
  requestAttributes,
  ServiceAccountTokenAuthenticator,
  TokenAuthenticator,
  userTokenSecretInformer,
} from '../auth/index.js';
import { SharedInformerFactory, silentLogger } from '../controller/index.js';
import { openStore, type Store } from '../store/index.js';

const OTHER_BINDINGS = Number(process.env.FEDGATE_BENCH_BINDINGS ?? 10_000);
const DECISIONS = Number(process.env.FEDGATE_BENCH_N ?? 200_000);
const registry = new ResourceRegistry();

async function put(store: Store, obj: KubeObject): Promise<void> {
  const r = registry.list().find((x) => x.kind === obj.kind)!;
  await store.create(storeKey(r, obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj));
}

function binding(namespace: string, name: string, role: string, user: string): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', name: user }],
  };
}

/** Decisions per second for a fixed mix of allowed and denied requests. */
function decisionsPerSecond(authorizer: RbacAuthorizer, user: UserInfo): { perSecond: number; allowed: number } {
  const requests = [
    requestAttributes('GET', '/apis/apps/v1/namespaces/shop/deployments', undefined, user),
    requestAttributes('POST', '/apis/apps/v1/namespaces/shop/deployments', undefined, user),
    requestAttributes('GET', '/api/v1/namespaces/shop/secrets/db', undefined, user),
    requestAttributes('GET', '/apis/apps/v1/namespaces/ns-7/deployments', undefined, user),
  ];
  let allowed = 0;
  const t0 = performance.now();
  for (let i = 0; i < DECISIONS; i++) if (authorizer.authorize(requests[i % requests.length]!).allowed) allowed++;
  return { perSecond: DECISIONS / ((performance.now() - t0) / 1000), allowed };
}

async function measureRbac(otherBindings: number): Promise<number> {
  const store = await openStore('sqlite::memory:');
  try {
    await ensureBootstrapPolicy(store);
    await put(store, binding('shop', 'alice-view', 'view', 'alice'));
    for (let i = 0; i < otherBindings; i++) await put(store, binding(`ns-${i % 100}`, `user-${i}`, i % 2 ? 'edit' : 'view', `user-${i}`));
    const factory = new SharedInformerFactory(store, registry, { logger: silentLogger });
    const authorizer = new RbacAuthorizer(factory);
    factory.start();
    await factory.waitForSync();
    const { perSecond, allowed } = decisionsPerSecond(authorizer, { username: 'alice', groups: ['system:authenticated'] });
    if (allowed !== DECISIONS / 4) throw new Error(`expected ${DECISIONS / 4} allowed decisions, got ${allowed}`);
    factory.stop();
    return perSecond;
  } finally {
    await store.close();
  }
}

async function measureTokens(): Promise<{ cached: number; uncached: number; jwt: number; jwtVerifyEach: number }> {
  const store = await openStore('sqlite::memory:');
  const dir = await mkdtemp(join(tmpdir(), 'fedgate-bench-auth-'));
  try {
    const t = await issueUserToken(store, { user: 'alice', groups: ['dev'] });
    const secrets = userTokenSecretInformer(store);
    secrets.start();
    await secrets.waitForSync();
    const req = { headers: { authorization: `Bearer ${t.token}` } };
    const n = 50_000;
    const cachedAuth = new TokenAuthenticator(secrets);
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await cachedAuth.authenticate(req);
    const cached = n / ((performance.now() - t0) / 1000);
    const uncachedAuth = new TokenAuthenticator(secrets, { maxCacheEntries: 0 });
    t0 = performance.now();
    for (let i = 0; i < n; i++) await uncachedAuth.authenticate(req);
    const uncached = n / ((performance.now() - t0) / 1000);
    cachedAuth.close();
    uncachedAuth.close();
    secrets.stop();

    const key = await loadOrCreateServiceAccountKey(dir);
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: 'shop', uid: 'u1' } };
    await put(store, sa);
    const factory = new SharedInformerFactory(store, registry, { logger: silentLogger });
    const accounts = factory.informerFor<ServiceAccount>('serviceaccounts');
    factory.start();
    await factory.waitForSync();
    const jwtReq = { headers: { authorization: `Bearer ${issueServiceAccountToken(sa, { key }).token}` } };
    const m = 10_000;
    const jwtRate = async (auth: ServiceAccountTokenAuthenticator): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < m; i++) {
        const r = await auth.authenticate(jwtReq);
        if (!r || !('user' in r)) throw new Error('the service account token was refused');
      }
      auth.close();
      return m / ((performance.now() - start) / 1000);
    };
    const jwt = await jwtRate(new ServiceAccountTokenAuthenticator({ serviceAccounts: accounts, keys: [key] }));
    const jwtVerifyEach = await jwtRate(new ServiceAccountTokenAuthenticator({ serviceAccounts: accounts, keys: [key], maxCachedSignatures: 0 }));
    factory.stop();
    return { cached, uncached, jwt, jwtVerifyEach };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const few = await measureRbac(0);
const many = await measureRbac(OTHER_BINDINGS);
const tokens = await measureTokens();
const k = (x: number): string => `${(x / 1000).toFixed(0)}k/s`;
console.log(`RBAC decisions, 1 binding of the user, no others:        ${k(few)}`);
console.log(`RBAC decisions, 1 binding of the user, ${OTHER_BINDINGS} of others: ${k(many)} (ratio ${(many / few).toFixed(2)})`);
console.log(`user token authentications, cached:    ${k(tokens.cached)}`);
console.log(`user token authentications, uncached:  ${k(tokens.uncached)}`);
console.log(`service account JWT authentications, signature remembered: ${k(tokens.jwt)}`);
console.log(`service account JWT authentications, ES256 verify each:    ${k(tokens.jwtVerifyEach)}`);
