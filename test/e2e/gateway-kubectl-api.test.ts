/**
 * What kubectl needs from the gateway, over HTTP with `fetch` (no kubectl needed):
 * aggregated discovery, OpenAPI, Table output (get, list, watch), strategic merge patch,
 * server-side apply with field managers, server-side field validation, events.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../../gateway/index.js';
import { openStore, type Store } from '../../store/index.js';

type Obj = any;

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

describe('gateway API for kubectl (e2e over HTTP)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  let gateway: Gateway;

  async function call(method: string, path: string, opts: { body?: unknown; type?: string; accept?: string; raw?: string } = {}): Promise<{ status: number; headers: Headers; body: Obj; text: string }> {
    const headers: Record<string, string> = {};
    if (opts.accept) headers['accept'] = opts.accept;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    const res = await fetch(`${gateway.url}${path}`, { method, headers, redirect: 'manual', body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    let body: Obj;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text };
  }

  const configMap = (name: string, data: Record<string, string>, extra: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data, ...extra });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-kubectl-api-'));
    store = await openStore(`sqlite:${join(dir, 'fed.db')}`);
    gateway = new Gateway({ store, logger: pino({ level: 'silent' }) });
    await gateway.start();
  });

  after(async () => {
    await gateway.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers aggregated discovery to clients that ask for it, and the legacy documents to the others', async () => {
    const agg = await call('GET', '/apis', { accept: DISCOVERY });
    assert.equal(agg.status, 200);
    assert.match(agg.headers.get('content-type') ?? '', /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
    assert.equal(agg.body.kind, 'APIGroupDiscoveryList');
    assert.ok(agg.body.items.some((g: Obj) => g.metadata.name === 'apps'));
    const core = await call('GET', '/api', { accept: DISCOVERY });
    assert.ok(core.body.items[0].versions[0].resources.some((r: Obj) => r.resource === 'events' && r.shortNames[0] === 'ev'));
    const legacy = await call('GET', '/api');
    assert.equal(legacy.body.kind, 'APIVersions');
  });

  it('publishes OpenAPI v3 by hash and v2 as JSON; v2 asked for as protobuf only is 406', async () => {
    const index = await call('GET', '/openapi/v3');
    const url: string = index.body.paths['apis/apps/v1'].serverRelativeURL;
    const doc = await call('GET', url);
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.0.0');
    assert.equal(doc.headers.get('cache-control'), 'public, immutable');
    const stale = await call('GET', '/openapi/v3/apis/apps/v1?hash=0BSOLETE');
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.get('location'), url);
    assert.equal((await call('GET', '/openapi/v3/apis/nope/v1')).status, 404);
    assert.equal((await call('GET', '/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' })).status, 406);
    assert.equal((await call('GET', '/openapi/v2', { accept: 'application/json' })).body.swagger, '2.0');
  });

  it('prints lists and objects as Tables, with the object as includeObject says', async () => {
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('printed', { a: '1' }) })).status, 201);
    const list = await call('GET', '/api/v1/namespaces/default/configmaps', { accept: TABLE });
    assert.equal(list.body.kind, 'Table');
    assert.deepEqual(list.body.columnDefinitions.map((c: Obj) => c.name), ['Name', 'Data', 'Clusters', 'Age']);
    const row = list.body.rows.find((r: Obj) => r.cells[0] === 'printed');
    assert.deepEqual(row.cells.slice(0, 3), ['printed', 1, '<none>']);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.ok(list.body.metadata.resourceVersion);
    const one = await call('GET', '/api/v1/namespaces/default/configmaps/printed?includeObject=Object', { accept: TABLE });
    assert.equal(one.body.rows.length, 1);
    assert.deepEqual(one.body.rows[0].object.data, { a: '1' });
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps?includeObject=Everything', { accept: TABLE })).status, 400);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps', { accept: 'application/vnd.kubernetes.protobuf' })).status, 406);
    const partial = await call('GET', '/api/v1/namespaces/default/configmaps', { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' });
    assert.equal(partial.body.kind, 'PartialObjectMetadataList');
  });

  it('sends each watch event as a one-row Table', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${gateway.url}/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dwatched`, { headers: { accept: TABLE }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('watched', { a: '1', b: '2' }) });
    let text = '';
    while (!text.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    ctrl.abort();
    const event = JSON.parse(text.split('\n')[0]!);
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.kind, 'Table');
    assert.deepEqual(event.object.rows.map((r: Obj) => r.cells.slice(0, 2)), [['watched', 2]]);
  });

  it('applies strategic merge patches to Kubernetes kinds and to the federation kinds', async () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'smp' },
      spec: { selector: { matchLabels: { app: 'smp' } }, template: { metadata: { labels: { app: 'smp' } }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
    };
    assert.equal((await call('POST', '/apis/apps/v1/namespaces/default/deployments', { body: d })).status, 201);
    const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', {
      body: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
      type: 'application/strategic-merge-patch+json',
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body.spec.template.spec.containers, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }]);
    const pp = { apiVersion: 'policy.fedgate.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'p' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] } };
    assert.equal((await call('POST', '/apis/policy.fedgate.io/v1alpha1/namespaces/default/propagationpolicies', { body: pp })).status, 201);
    const ppPatched = await call('PATCH', '/apis/policy.fedgate.io/v1alpha1/namespaces/default/propagationpolicies/p', { body: { spec: { priority: 5 } }, type: 'application/strategic-merge-patch+json' });
    assert.equal(ppPatched.body.spec.priority, 5);
    const bad = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', { body: { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, type: 'application/strategic-merge-patch+json' });
    assert.equal(bad.status, 400);
  });

  it('applies server-side: creates with 201, records the field manager, 409 on conflicts unless forced', async () => {
    const path = '/api/v1/namespaces/default/configmaps/applied';
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  color: blue\n';
    assert.equal((await call('PATCH', path, { raw: yaml, type: 'application/apply-patch+yaml' })).status, 400, 'fieldManager is required');
    const created = await call('PATCH', `${path}?fieldManager=ci`, { raw: yaml, type: 'application/apply-patch+yaml' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.metadata.managedFields.map((e: Obj) => [e.manager, e.operation, e.fieldsV1]), [['ci', 'Apply', { 'f:data': { '.': {}, 'f:color': {} } }]]);
    assert.equal((await call('PATCH', `${path}?fieldManager=ci`, { raw: yaml, type: 'application/apply-patch+yaml' })).status, 200);
    await call('PATCH', `${path}?fieldManager=ops`, { body: { data: { color: 'red' } }, type: 'application/merge-patch+json' });
    const conflict = await call('PATCH', `${path}?fieldManager=ci`, { raw: yaml, type: 'application/apply-patch+yaml' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "ops" using v1: .data.color');
    const forced = await call('PATCH', `${path}?fieldManager=ci&force=true`, { raw: yaml, type: 'application/apply-patch+yaml' });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.data.color, 'blue');
    assert.equal((await call('PATCH', `${path}?force=true`, { body: {}, type: 'application/merge-patch+json' })).status, 400, 'force is for apply only');
  });

  it('validates fields: Strict refuses unknown ones, Warn (the default) warns, Ignore keeps quiet', async () => {
    const typo = configMap('typo', { a: '1' }, { dta: { b: '2' } });
    const strict = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: typo });
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"');
    const warned = await call('POST', '/api/v1/namespaces/default/configmaps', { body: typo });
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"dta\\""');
    const ignored = await call('PUT', '/api/v1/namespaces/default/configmaps/typo?fieldValidation=Ignore', { body: typo });
    assert.equal(ignored.status, 200);
    assert.equal(ignored.headers.get('warning'), null);
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Loud', { body: configMap('x', {}) })).status, 400);
    const unicode = await call('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('unicode', {}, { 'dätä': 1 }) });
    assert.equal(unicode.status, 201, 'a field name that is not ASCII is escaped in the Warning header');
    assert.equal(unicode.headers.get('warning'), '299 - "unknown field \\"d\\u00e4t\\u00e4\\""');
  });

  it('serves events with the field selectors kubectl describe uses, and no pod logs without pods', async () => {
    const events = await call('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb%2CinvolvedObject.namespace%3Ddefault%2CinvolvedObject.kind%3DDeployment%2CinvolvedObject.uid%3Dx');
    assert.equal(events.status, 200, events.text);
    assert.equal(events.body.kind, 'EventList');
    assert.equal((await call('GET', '/api/v1/namespaces/default/pods/web/log')).status, 404);
  });
});
