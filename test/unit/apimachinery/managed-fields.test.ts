import assert from 'node:assert/strict';
import {
  apiSchemaFor,
  FieldSet,
  fieldSetOf,
  formatFieldPath,
  isConflict,
  managedFieldsOf,
  managedFieldsOnCreate,
  managedFieldsOnUpdate,
  ResourceRegistry,
  serverSideApply,
  StatusError,
  type ApplyContext,
  type FieldManagerContext,
  type KubeObject,
} from '../../../apimachinery/index.js';

const registry = new ResourceRegistry();
const deployments = registry.resolve('deployments')!;
const schema = apiSchemaFor(deployments);
const subject = { group: 'apps', resource: 'deployments', name: 'web' };

function ctx(manager: string, time = '2026-01-01T00:00:00Z'): FieldManagerContext {
  return { manager, apiVersion: 'apps/v1', time, schema, hasStatus: true };
}

function applyCtx(manager: string, force = false): ApplyContext {
  return { ...ctx(manager), force };
}

function deployment(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels }, spec };
}

const template = (containers: unknown[]): Record<string, unknown> => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });

function ownersOf(obj: KubeObject, path: string[]): string[] {
  return managedFieldsOf(obj)
    .filter((e) => FieldSet.fromFieldsV1(e.fieldsV1).has(path))
    .map((e) => `${e.manager}/${e.operation}`);
}

const REPLICAS = ['f:spec', 'f:replicas'];
const IMAGE = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'];

describe('field sets and managedFields', () => {
  it('owns struct fields, map entries with the map, keyed list entries by key, atomic structs whole', () => {
    const obj = deployment({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template([{ name: 'web', image: 'w:1', env: [{ name: 'A', value: '1' }] }]) });
    const set = fieldSetOf(obj, schema, { withStatus: false });
    assert.deepEqual(set.toFieldsV1(), {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } } },
            },
          },
        },
      },
    });
    assert.deepEqual(FieldSet.fromFieldsV1(set.toFieldsV1()).toFieldsV1(), set.toFieldsV1());
    assert.equal(formatFieldPath(IMAGE), '.spec.template.spec.containers[name="web"].image');
  });

  it('a create owns everything set; an update takes only the fields it changed, and removed fields leave every owner', () => {
    const created = deployment({ replicas: 2, template: template([{ name: 'web', image: 'w:1' }]) });
    created.metadata.managedFields = managedFieldsOnCreate(created, ctx('creator'));
    assert.deepEqual(ownersOf(created, REPLICAS), ['creator/Update']);

    const scaled = structuredClone(created);
    (scaled.spec as any).replicas = 5;
    delete scaled.metadata.labels;
    scaled.metadata.managedFields = managedFieldsOnUpdate(created, scaled, ctx('scaler', '2026-01-01T00:01:00Z'));
    assert.deepEqual(ownersOf(scaled, REPLICAS), ['scaler/Update']);
    assert.deepEqual(ownersOf(scaled, IMAGE), ['creator/Update']);
    assert.deepEqual(ownersOf(scaled, ['f:metadata', 'f:labels', 'f:app']), []);

    const same = structuredClone(scaled);
    assert.deepEqual(managedFieldsOnUpdate(scaled, same, ctx('noop', '2026-01-02T00:00:00Z')), scaled.metadata.managedFields, 'a write that changes nothing leaves ownership and times alone');
  });

  it('server-side apply creates, then keeps fields other managers share with the same value', () => {
    const config = deployment({ replicas: 2, template: template([{ name: 'web', image: 'w:1' }]) });
    const { object: created } = serverSideApply(undefined, config, applyCtx('ci'), subject);
    assert.deepEqual(ownersOf(created, REPLICAS), ['ci/Apply']);
    // Another applier setting the same value shares the field without a conflict.
    const { object: shared } = serverSideApply(created, deployment({ replicas: 2 }), applyCtx('other'), subject);
    assert.deepEqual(ownersOf(shared, REPLICAS).sort(), ['ci/Apply', 'other/Apply']);
  });

  it('a field another manager set to another value is a 409 conflict naming manager and field, unless forced', () => {
    const { object: created } = serverSideApply(undefined, deployment({ replicas: 2, template: template([{ name: 'web', image: 'w:1' }]) }), applyCtx('ci'), subject);
    const scaled = structuredClone(created);
    (scaled.spec as any).replicas = 7;
    scaled.metadata.managedFields = managedFieldsOnUpdate(created, scaled, ctx('autoscaler'));
    assert.throws(
      () => serverSideApply(scaled, deployment({ replicas: 3 }), applyCtx('ci'), subject),
      (err: unknown) =>
        isConflict(err) &&
        (err as StatusError).message === 'Apply failed with 1 conflict: conflict with "autoscaler" using apps/v1: .spec.replicas' &&
        (err as StatusError).details.causes?.[0]?.field === '.spec.replicas',
    );
    const { object: forced, forced: taken } = serverSideApply(scaled, deployment({ replicas: 3, template: template([{ name: 'web', image: 'w:1' }]) }), applyCtx('ci', true), subject);
    assert.equal((forced.spec as any).replicas, 3);
    assert.deepEqual(taken.map((c) => c.manager), ['autoscaler']);
    assert.deepEqual(ownersOf(forced, REPLICAS), ['ci/Apply']);
  });

  it('fields an applier stops setting are removed, unless another manager owns them', () => {
    const first = deployment({
      replicas: 2,
      paused: false,
      template: template([{ name: 'web', image: 'w:1' }, { name: 'log', image: 'l:1' }]),
    });
    const { object: v1 } = serverSideApply(undefined, first, applyCtx('ci'), subject);
    // Someone else also sets `paused`, with the same value: it stays when ci drops it.
    const { object: v2 } = serverSideApply(v1, deployment({ paused: false }), applyCtx('ops'), subject);
    const { object: v3 } = serverSideApply(v2, deployment({ replicas: 2, template: template([{ name: 'web', image: 'w:2' }]) }), applyCtx('ci'), subject);
    const spec = v3.spec as any;
    assert.equal(spec.paused, false, 'still owned by ops');
    assert.deepEqual(spec.template.spec.containers, [{ name: 'web', image: 'w:2' }], 'the log container was only ci\'s');
    assert.deepEqual(v3.metadata.labels, { app: 'web' });
  });

  it('merges keyed lists by key and leaves other managers\' entries alone', () => {
    const { object: v1 } = serverSideApply(undefined, deployment({ template: template([{ name: 'web', image: 'w:1' }]) }), applyCtx('ci'), subject);
    const { object: v2 } = serverSideApply(v1, deployment({ template: template([{ name: 'sidecar', image: 's:1' }]) }), applyCtx('mesh'), subject);
    assert.deepEqual((v2.spec as any).template.spec.containers.map((c: any) => c.name), ['web', 'sidecar']);
    const { object: v3 } = serverSideApply(v2, deployment({ template: template([{ name: 'web', image: 'w:2' }]) }), applyCtx('ci'), subject);
    assert.deepEqual((v3.spec as any).template.spec.containers, [{ name: 'web', image: 'w:2' }, { name: 'sidecar', image: 's:1' }]);
  });
});
