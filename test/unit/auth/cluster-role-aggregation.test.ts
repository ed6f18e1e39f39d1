/**
 * ClusterRole aggregation over a real store and informers: a ClusterRole labelled
 * aggregate-to-edit extends `edit` (and what its holders may do), removing the label takes
 * the rules away again, user-defined aggregated roles work the same way, and the bootstrap
 * roles are left alone when nothing changed.
 */
import assert from 'node:assert/strict';
import { RBAC_GROUP, storeKey, type ClusterRole, type PolicyRule } from '../../../apimachinery/index.js';
import { AGGREGATE_TO_EDIT, aggregatedRules, ClusterRoleAggregator, requestAttributes } from '../../../auth/index.js';
import { RbacFixture, subject, tick, user } from './rbac-fixture.js';

const CRONTABS: PolicyRule = { verbs: ['create', 'get'], apiGroups: ['stable.example.com'], resources: ['crontabs'] };

describe('auth/cluster-role-aggregation', () => {
  let f: RbacFixture;
  let aggregator: ClusterRoleAggregator;

  before(async () => {
    f = await new RbacFixture().start();
    aggregator = new ClusterRoleAggregator({ store: f.store, factory: f.factory });
    aggregator.start();
    await aggregator.idle();
    await f.create(f.roleBinding('shop', 'bob-edit', 'ClusterRole', 'edit', [subject.user('bob')]));
  });
  after(async () => {
    await aggregator.stop();
    await f.stop();
  });

  const clusterRole = (name: string): ClusterRole => f.factory.informerFor<ClusterRole>(`clusterroles.${RBAC_GROUP}`).getByName(undefined, name) as ClusterRole;
  /** Waits until `cond` holds for the informer's view (aggregation writes, then the informer sees it). */
  async function until(what: string, cond: () => boolean): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      await aggregator.idle();
      if (cond()) return;
      await tick();
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const bobMayCreateCrontabs = () => f.authorizer.authorize(requestAttributes('POST', '/apis/stable.example.com/v1/namespaces/shop/crontabs', undefined, user('bob'))).allowed;
  const hasRule = (role: string, rule: PolicyRule) => (clusterRole(role).rules ?? []).some((r) => JSON.stringify(r) === JSON.stringify(rule));

  it('leaves the bootstrap admin, edit and view as they are when nothing is labelled for them', async () => {
    const before = ['admin', 'edit', 'view'].map((n) => clusterRole(n).metadata.resourceVersion);
    aggregator.start(); // started already: one more pass over unchanged roles
    await aggregator.idle();
    assert.deepEqual(['admin', 'edit', 'view'].map((n) => clusterRole(n).metadata.resourceVersion), before);
    assert.equal(bobMayCreateCrontabs(), false);
  });

  it('a ClusterRole labelled aggregate-to-edit extends edit (not admin, which selects aggregate-to-admin); removing the label takes it back', async () => {
    await f.create({ ...f.clusterRole('crontabs-edit', [CRONTABS]), metadata: { name: 'crontabs-edit', labels: { [AGGREGATE_TO_EDIT]: 'true' } } });
    await until('edit to hold the crontabs rule', () => hasRule('edit', CRONTABS));
    assert.equal(hasRule('view', CRONTABS), false, 'view does not select aggregate-to-edit');
    assert.equal(hasRule('admin', CRONTABS), false, 'admin selects aggregate-to-admin only');
    assert.equal(bobMayCreateCrontabs(), true, 'bob (edit in shop) may create crontabs now');

    const key = storeKey(f.registry.list().find((r) => r.kind === 'ClusterRole')!, undefined, 'crontabs-edit');
    const kv = (await f.store.get(key))!;
    const unlabelled = JSON.parse(kv.value) as ClusterRole;
    unlabelled.metadata.labels = {};
    await f.store.update(key, JSON.stringify(unlabelled), kv.modRevision);
    await until('edit to lose the crontabs rule', () => !hasRule('edit', CRONTABS));
    assert.equal(bobMayCreateCrontabs(), false);
  });

  it('user-defined aggregated roles: union of the selected roles in name order, each rule once', async () => {
    const a: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    const b: PolicyRule = { verbs: ['list'], apiGroups: [''], resources: ['services'] };
    await f.create({ ...f.clusterRole('mon-b', [b, a]), metadata: { name: 'mon-b', labels: { 'example.com/monitoring': 'true' } } });
    await f.create({ ...f.clusterRole('mon-a', [a]), metadata: { name: 'mon-a', labels: { 'example.com/monitoring': 'true' } } });
    await f.create({
      ...f.clusterRole('monitoring', []),
      aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/monitoring', operator: 'Exists' }] }] },
    } as ClusterRole);
    await until('monitoring to aggregate', () => (clusterRole('monitoring').rules ?? []).length === 2);
    assert.deepEqual(clusterRole('monitoring').rules, [a, b]);
  });

  it('aggregatedRules: not aggregated without selectors, itself excluded, invalid selectors ignored', () => {
    const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], selector?: unknown): ClusterRole =>
      ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules, ...(selector ? { aggregationRule: { clusterRoleSelectors: [selector] } } : {}) }) as ClusterRole;
    const self = role('self', { x: 'y' }, [CRONTABS], { matchLabels: { x: 'y' } });
    assert.equal(aggregatedRules(role('plain', {}, [CRONTABS]), [self]), undefined);
    assert.deepEqual(aggregatedRules(self, [self]), []);
    assert.equal(aggregatedRules(role('bad', {}, [], { matchExpressions: [{ key: 'x', operator: 'Nope' }] }), [self]), undefined);
  });
});
