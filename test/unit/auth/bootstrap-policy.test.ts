import assert from 'node:assert/strict';
import {
  builtinResources,
  RBAC_AUTOUPDATE_ANNOTATION,
  storeKey,
  validateObject,
  type ClusterRole,
  type ClusterRoleBinding,
  type KubeObject,
} from '../../../apimachinery/index.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, ensureBootstrapPolicy, rulesCover } from '../../../auth/index.js';
import { openStore, type Store } from '../../../store/index.js';

const clusterRoles = builtinResources.find((r) => r.kind === 'ClusterRole')!;
const clusterRoleBindings = builtinResources.find((r) => r.kind === 'ClusterRoleBinding')!;

async function read<T extends KubeObject>(store: Store, kind: 'ClusterRole' | 'ClusterRoleBinding', name: string): Promise<{ obj: T; rev: number } | undefined> {
  const kv = await store.get(storeKey(kind === 'ClusterRole' ? clusterRoles : clusterRoleBindings, undefined, name));
  return kv ? { obj: JSON.parse(kv.value) as T, rev: kv.modRevision } : undefined;
}

async function write(store: Store, kind: 'ClusterRole' | 'ClusterRoleBinding', obj: KubeObject, rev: number): Promise<void> {
  await store.update(storeKey(kind === 'ClusterRole' ? clusterRoles : clusterRoleBindings, undefined, obj.metadata.name!), JSON.stringify(obj), rev);
}

describe('auth/bootstrap-policy', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('defines valid objects: every default role and binding passes the API validation', () => {
    for (const obj of [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings()]) {
      const r = builtinResources.find((x) => x.kind === obj.kind)!;
      assert.deepEqual(validateObject(r, obj), [], `${obj.kind} ${obj.metadata.name}`);
    }
  });

  it('nests the aggregated roles: view ⊂ edit ⊂ admin ⊂ cluster-admin, and view reads no Secrets', () => {
    const byName = new Map(bootstrapClusterRoles().map((r) => [r.metadata.name, r.rules ?? []]));
    assert.equal(rulesCover(byName.get('edit')!, byName.get('view')!).covered, true);
    assert.equal(rulesCover(byName.get('admin')!, byName.get('edit')!).covered, true);
    assert.equal(rulesCover(byName.get('cluster-admin')!, byName.get('admin')!).covered, true);
    assert.equal(rulesCover(byName.get('view')!, byName.get('edit')!).covered, false);
    assert.equal(rulesCover(byName.get('view')!, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).covered, false);
    assert.equal(rulesCover(byName.get('edit')!, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).covered, true);
  });

  it('creates every default object at first start, with server metadata, and nothing on a second run', async () => {
    const first = await ensureBootstrapPolicy(store);
    assert.deepEqual(
      first.created.sort(),
      [...bootstrapClusterRoles().map((r) => `ClusterRole/${r.metadata.name}`), ...bootstrapClusterRoleBindings().map((b) => `ClusterRoleBinding/${b.metadata.name}`)].sort(),
    );
    const admin = await read<ClusterRoleBinding>(store, 'ClusterRoleBinding', 'cluster-admin');
    assert.ok(admin);
    assert.deepEqual(admin.obj.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
    assert.equal(typeof admin.obj.metadata.uid, 'string');
    assert.equal(admin.obj.metadata.annotations?.[RBAC_AUTOUPDATE_ANNOTATION], 'true');
    const rev = await store.currentRevision();
    assert.deepEqual(await ensureBootstrapPolicy(store), { created: [], updated: [], protected: [] });
    assert.equal(await store.currentRevision(), rev, 'an up-to-date policy is not rewritten');
  });

  it('adds missing rules and subjects but keeps what users added', async () => {
    await ensureBootstrapPolicy(store);
    const view = (await read<ClusterRole>(store, 'ClusterRole', 'view'))!;
    const userRule = { verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] };
    // A user dropped a default rule (deployments are gone) and added one of their own.
    view.obj.rules = [...(view.obj.rules ?? []).filter((r) => !(r.apiGroups ?? []).includes('apps')), userRule];
    await write(store, 'ClusterRole', view.obj, view.rev);
    const discovery = (await read<ClusterRoleBinding>(store, 'ClusterRoleBinding', 'system:discovery'))!;
    discovery.obj.subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'robot' }];
    await write(store, 'ClusterRoleBinding', discovery.obj, discovery.rev);

    const result = await ensureBootstrapPolicy(store);
    assert.deepEqual(result.updated.sort(), ['ClusterRole/view', 'ClusterRoleBinding/system:discovery']);
    const after = (await read<ClusterRole>(store, 'ClusterRole', 'view'))!.obj;
    assert.equal(rulesCover(after.rules ?? [], bootstrapClusterRoles().find((r) => r.metadata.name === 'view')!.rules ?? []).covered, true);
    assert.ok(after.rules?.some((r) => JSON.stringify(r) === JSON.stringify(userRule)), 'the user rule stays');
    const subjects = (await read<ClusterRoleBinding>(store, 'ClusterRoleBinding', 'system:discovery'))!.obj.subjects!.map((s) => s.name);
    assert.deepEqual(subjects, ['robot', 'system:authenticated']);
  });

  it('leaves objects annotated autoupdate=false alone', async () => {
    await ensureBootstrapPolicy(store);
    const edit = (await read<ClusterRole>(store, 'ClusterRole', 'edit'))!;
    edit.obj.metadata.annotations = { [RBAC_AUTOUPDATE_ANNOTATION]: 'false' };
    edit.obj.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }];
    await write(store, 'ClusterRole', edit.obj, edit.rev);
    const result = await ensureBootstrapPolicy(store);
    assert.deepEqual(result.protected, ['ClusterRole/edit']);
    assert.deepEqual((await read<ClusterRole>(store, 'ClusterRole', 'edit'))!.obj.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]);
  });

  it('re-creates a binding whose roleRef was changed, keeping its extra subjects', async () => {
    await ensureBootstrapPolicy(store);
    const b = (await read<ClusterRoleBinding>(store, 'ClusterRoleBinding', 'system:basic-user'))!;
    b.obj.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    b.obj.subjects = [...(b.obj.subjects ?? []), { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'robot' }];
    await write(store, 'ClusterRoleBinding', b.obj, b.rev);
    const result = await ensureBootstrapPolicy(store);
    assert.deepEqual(result.updated, ['ClusterRoleBinding/system:basic-user']);
    const after = (await read<ClusterRoleBinding>(store, 'ClusterRoleBinding', 'system:basic-user'))!.obj;
    assert.equal(after.roleRef.name, 'system:basic-user');
    assert.deepEqual(after.subjects!.map((s) => s.name).sort(), ['robot', 'system:authenticated']);
    assert.notEqual(after.metadata.uid, b.obj.metadata.uid, 'a new object');
  });

  it('two gateways reconciling one store at once end with one copy of each object', async () => {
    const [a, b] = await Promise.all([ensureBootstrapPolicy(store), ensureBootstrapPolicy(store)]);
    const expectedCount = bootstrapClusterRoles().length + bootstrapClusterRoleBindings().length;
    assert.equal(a.created.length + b.created.length, expectedCount);
    const { items } = await store.list('/registry/rbac.authorization.k8s.io/');
    assert.equal(items.length, expectedCount);
  });
});
