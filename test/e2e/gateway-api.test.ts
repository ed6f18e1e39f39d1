/**
 * The gateway's REST API driven over HTTP with `fetch`, the way a Kubernetes client does,
 * against a real SQLite store in a temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../../gateway/index.js';
import { openStore, type Store } from '../../store/index.js';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

const silent = pino({ level: 'silent' });

function deployment(name: string, labels: Record<string, string> = { app: name }, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
    },
  };
}

function configMap(name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels, ...extra }, data: { key: name } };
}

/** Asserts a Kubernetes Status body with this code and reason. */
function assertStatus(r: Reply, code: number, reason: string): void {
  assert.equal(r.status, code, r.text);
  assert.equal(r.body?.kind, 'Status', r.text);
  assert.equal(r.body.apiVersion, 'v1');
  assert.equal(r.body.status, 'Failure');
  assert.equal(r.body.code, code);
  assert.equal(r.body.reason, reason);
  assert.equal(typeof r.body.message, 'string');
}

/** Reads newline-delimited watch events until `until` says stop (or the stream ends). */
async function readWatch(url: string, until: (events: any[]) => boolean, timeoutMs = 5000): Promise<{ status: number; events: any[] }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const res = await fetch(url, { signal: ac.signal });
    if (res.status !== 200) return { status: res.status, events: [await res.json()] };
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== '') events.push(JSON.parse(line));
      }
    }
    await reader.cancel().catch(() => {});
    return { status: res.status, events };
  } catch (err) {
    if (ac.signal.aborted) return { status: 200, events };
    throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('gateway REST API (e2e over HTTP, SQLite store)', function () {
  this.timeout(30000);
  let dir: string;
  let store: Store;
  let gateway: Gateway;

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const init: RequestInit = { method, headers: { 'content-type': contentType, accept: 'application/json' } };
    if (body !== undefined) init.body = typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
    const res = await fetch(gateway.url + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  async function createNamespace(name: string): Promise<void> {
    const r = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(r.status, 201, r.text);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-gateway-api-'));
    store = await openStore(`sqlite:${dir}/fed.db`);
    gateway = new Gateway({ store, logger: silent, listen: { host: '127.0.0.1', port: 0 } });
    await gateway.start();
  });

  after(async () => {
    try {
      await gateway?.stop();
      await store?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves discovery and /version', async () => {
    const api = await call('GET', '/api');
    assert.equal(api.body.kind, 'APIVersions');
    assert.deepEqual(api.body.versions, ['v1']);
    const groups = await call('GET', '/apis');
    assert.equal(groups.body.kind, 'APIGroupList');
    const names = groups.body.groups.map((g: any) => g.name);
    for (const g of ['apps', 'batch', 'cluster.fedgate.io', 'policy.fedgate.io', 'networking.fedgate.io']) assert.ok(names.includes(g), g);
    const core = await call('GET', '/api/v1');
    assert.equal(core.body.kind, 'APIResourceList');
    assert.equal(core.body.groupVersion, 'v1');
    const ns = core.body.resources.find((r: any) => r.name === 'namespaces');
    assert.equal(ns.namespaced, false);
    assert.deepEqual(ns.shortNames, ['ns']);
    assert.ok(core.body.resources.some((r: any) => r.name === 'namespaces/status'));
    assert.ok(!core.body.resources.some((r: any) => r.name === 'configmaps/status'), 'configmaps have no status subresource');
    const apps = await call('GET', '/apis/apps/v1');
    const deploy = apps.body.resources.find((r: any) => r.name === 'deployments');
    assert.equal(deploy.kind, 'Deployment');
    assert.equal(deploy.namespaced, true);
    assert.deepEqual(deploy.categories, ['all']);
    assert.ok(deploy.verbs.includes('watch') && deploy.verbs.includes('deletecollection'));
    assert.deepEqual(apps.body.resources.find((r: any) => r.name === 'deployments/status').verbs, ['get', 'patch', 'update']);
    const policy = await call('GET', '/apis/policy.fedgate.io/v1alpha1');
    assert.ok(policy.body.resources.some((r: any) => r.name === 'clusterpropagationpolicies' && r.namespaced === false));
    const version = await call('GET', '/version');
    assert.match(version.body.gitVersion, /^v1\.\d+\.\d+/);
    assertStatus(await call('GET', '/apis/nothing.example.com/v1'), 404, 'NotFound');
  });

  it('creates, gets and lists with label and field selectors', async () => {
    await createNamespace('shop');
    const created = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('web', { app: 'web', tier: 'front' }));
    assert.equal(created.status, 201, created.text);
    const meta = created.body.metadata;
    assert.equal(meta.namespace, 'shop');
    assert.match(meta.uid, /^[0-9a-f-]{36}$/);
    assert.equal(meta.generation, 1);
    assert.match(meta.resourceVersion, /^\d+$/);
    assert.match(meta.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('api', { app: 'api', tier: 'back' }))).status, 201);

    const got = await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
    assert.equal(got.status, 200);
    assert.equal(got.body.kind, 'Deployment');
    assert.equal(got.body.metadata.resourceVersion, meta.resourceVersion);

    const byLabel = await call('GET', '/apis/apps/v1/namespaces/shop/deployments?labelSelector=' + encodeURIComponent('tier in (front),app'));
    assert.equal(byLabel.body.kind, 'DeploymentList');
    assert.deepEqual(byLabel.body.items.map((d: any) => d.metadata.name), ['web']);
    const byField = await call('GET', '/apis/apps/v1/deployments?fieldSelector=' + encodeURIComponent('metadata.name=api'));
    assert.deepEqual(byField.body.items.map((d: any) => d.metadata.name), ['api']);
    const all = await call('GET', '/apis/apps/v1/namespaces/shop/deployments');
    assert.deepEqual(all.body.items.map((d: any) => d.metadata.name), ['api', 'web']);
    assert.ok(Number(all.body.metadata.resourceVersion) >= Number(meta.resourceVersion));
    assertStatus(await call('GET', '/apis/apps/v1/deployments?fieldSelector=spec.replicas%3D2'), 400, 'BadRequest');
    assertStatus(await call('GET', '/apis/apps/v1/deployments?labelSelector=' + encodeURIComponent('a in (')), 400, 'BadRequest');
  });

  it('answers errors as Status bodies: 404, 409 AlreadyExists, 400, 422, 405', async () => {
    assertStatus(await call('GET', '/apis/apps/v1/namespaces/shop/deployments/missing'), 404, 'NotFound');
    assertStatus(await call('GET', '/apis/apps/v1/namespaces/shop/widgets'), 404, 'NotFound');
    assertStatus(await call('GET', '/no/such/path'), 404, 'NotFound');
    const dup = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('web'));
    assertStatus(dup, 409, 'AlreadyExists');
    assert.equal(dup.body.message, 'deployments.apps "web" already exists');
    assertStatus(await call('POST', '/api/v1/namespaces/shop/configmaps', '{"metadata": {'), 400, 'BadRequest');
    assertStatus(
      await call('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      400,
      'BadRequest',
    );
    assertStatus(await call('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), 400, 'BadRequest');
    const otherNs = await call('POST', '/api/v1/namespaces/shop/configmaps', configMap('x', {}, { namespace: 'default' }));
    assertStatus(otherNs, 400, 'BadRequest');
    assert.equal(otherNs.body.message, 'the namespace of the provided object does not match the namespace sent on the request');
    const otherName = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', deployment('api'));
    assertStatus(otherName, 400, 'BadRequest');

    const bad = deployment('Bad_Name');
    (bad['spec'] as any).replicas = -1;
    const invalid = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', bad);
    assertStatus(invalid, 422, 'Invalid');
    const fields = invalid.body.details.causes.map((c: any) => c.field);
    assert.ok(fields.includes('metadata.name'), JSON.stringify(invalid.body.details));
    assert.ok(fields.some((f: string) => f.startsWith('spec.replicas')), JSON.stringify(invalid.body.details));
    assert.equal(invalid.body.details.kind, 'Deployment');

    const nameless = await call('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
    assertStatus(nameless, 422, 'Invalid');

    const post = await call('POST', '/apis/apps/v1/namespaces/shop/deployments/web', deployment('web'));
    assertStatus(post, 405, 'MethodNotAllowed');
    assertStatus(await call('PUT', '/api/v1/namespaces/shop/configmaps', configMap('x')), 405, 'MethodNotAllowed');
  });

  it('generateName picks a fresh name', async () => {
    const r = await call('POST', '/api/v1/namespaces/shop/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'gen-' },
      data: {},
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects a stale update with 409 Conflict and accepts a fresh one', async () => {
    const cur = (await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body;
    const first = structuredClone(cur);
    first.metadata.labels.rev = 'one';
    const ok = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', first);
    assert.equal(ok.status, 200, ok.text);
    assert.ok(Number(ok.body.metadata.resourceVersion) > Number(cur.metadata.resourceVersion));
    const stale = structuredClone(cur);
    stale.metadata.labels.rev = 'two';
    const conflict = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', stale);
    assertStatus(conflict, 409, 'Conflict');
    assert.equal(
      conflict.body.message,
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    assertStatus(await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/nothere', deployment('nothere')), 404, 'NotFound');
  });

  it('applies merge patches, JSON patches and strategic merge patches', async () => {
    const merge = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      { metadata: { labels: { patched: 'merge', tier: null } }, spec: { replicas: 5 } },
      'application/merge-patch+json',
    );
    assert.equal(merge.status, 200, merge.text);
    assert.equal(merge.body.spec.replicas, 5);
    assert.equal(merge.body.metadata.labels.patched, 'merge');
    assert.equal(merge.body.metadata.labels.tier, undefined);
    const json = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      [
        { op: 'test', path: '/spec/replicas', value: 5 },
        { op: 'replace', path: '/spec/replicas', value: 7 },
        { op: 'add', path: '/metadata/annotations', value: { note: 'json' } },
      ],
      'application/json-patch+json',
    );
    assert.equal(json.status, 200, json.text);
    assert.equal(json.body.spec.replicas, 7);
    assert.equal(json.body.metadata.annotations.note, 'json');
    const failedTest = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      [{ op: 'test', path: '/spec/replicas', value: 1 }],
      'application/json-patch+json',
    );
    assert.equal(failedTest.body.kind, 'Status');
    assert.ok([409, 422].includes(failedTest.status), failedTest.text);
    const staleRv = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      { metadata: { resourceVersion: '1' }, spec: { replicas: 1 } },
      'application/merge-patch+json',
    );
    assertStatus(staleRv, 409, 'Conflict');
    const smp = await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', { spec: { replicas: 1 } }, 'application/strategic-merge-patch+json');
    assert.equal(smp.status, 200, smp.text);
    assert.equal(smp.body.spec.replicas, 1);
    assertStatus(await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', { spec: { replicas: 1 } }, 'application/x-unknown-patch'), 415, 'UnsupportedMediaType');
    const invalidPatch = await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', { spec: { replicas: 'many' } }, 'application/merge-patch+json');
    assertStatus(invalidPatch, 422, 'Invalid');
    assertStatus(await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/gone', {}, 'application/merge-patch+json'), 404, 'NotFound');
  });

  it('writes status only through /status, and moves generation only on spec changes', async () => {
    const base = (await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body;
    const gen = base.metadata.generation;
    // The main endpoint ignores status.
    const withStatus = structuredClone(base);
    withStatus.status = { replicas: 99 };
    withStatus.metadata.labels.touched = 'yes';
    const main = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', withStatus);
    assert.equal(main.status, 200, main.text);
    assert.equal(main.body.status, undefined);
    assert.equal(main.body.metadata.generation, gen, 'a label change does not move generation');
    // /status writes status and nothing else, and leaves generation alone.
    const st = structuredClone(main.body);
    st.status = { replicas: 3, readyReplicas: 2, observedGeneration: gen };
    st.spec.replicas = 42;
    const status = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/status', st);
    assert.equal(status.status, 200, status.text);
    assert.equal(status.body.status.readyReplicas, 2);
    assert.equal(status.body.spec.replicas, base.spec.replicas, '/status ignores spec');
    assert.equal(status.body.metadata.generation, gen);
    const getStatus = await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web/status');
    assert.equal(getStatus.body.status.readyReplicas, 2);
    const statusPatch = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web/status',
      { status: { readyReplicas: 3 } },
      'application/merge-patch+json',
    );
    assert.equal(statusPatch.body.status.readyReplicas, 3);
    assert.equal(statusPatch.body.metadata.generation, gen);
    // A spec change moves generation by one.
    const spec = await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', { spec: { replicas: 9 } }, 'application/merge-patch+json');
    assert.equal(spec.body.metadata.generation, gen + 1);
    assert.equal(spec.body.status.readyReplicas, 3, 'status survives a main-endpoint write');
    // A status posted on create is dropped for kinds with a status subresource.
    const d = deployment('fresh');
    d['status'] = { replicas: 10 };
    const created = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', d);
    assert.equal(created.body.status, undefined);
    assertStatus(await call('GET', '/api/v1/namespaces/shop/configmaps/x/status'), 404, 'NotFound');
  });

  it('pages 25 ConfigMaps with limit and continue at one revision', async () => {
    await createNamespace('paging');
    for (let i = 0; i < 25; i++) {
      const r = await call('POST', '/api/v1/namespaces/paging/configmaps', configMap(`cm-${String(i).padStart(2, '0')}`, { n: String(i % 2) }));
      assert.equal(r.status, 201, r.text);
    }
    const names: string[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    const pages: number[] = [];
    const remaining: (number | undefined)[] = [];
    do {
      const r = await call('GET', `/api/v1/namespaces/paging/configmaps?limit=10${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      if (rv === undefined) {
        rv = r.body.metadata.resourceVersion;
        // Written after the first page: not part of this snapshot.
        assert.equal((await call('POST', '/api/v1/namespaces/paging/configmaps', configMap('cm-99'))).status, 201);
      }
      assert.equal(r.body.metadata.resourceVersion, rv);
      pages.push(r.body.items.length);
      remaining.push(r.body.metadata.remainingItemCount);
      names.push(...r.body.items.map((c: any) => c.metadata.name));
      token = r.body.metadata.continue;
    } while (token);
    assert.deepEqual(pages, [10, 10, 5]);
    assert.deepEqual(remaining, [15, 5, undefined]);
    assert.equal(names.length, 25);
    assert.equal(new Set(names).size, 25);
    assert.deepEqual(names, [...names].sort());
    assert.ok(!names.includes('cm-99'));
    // With a selector pages may be short, but the union is exactly the matching set.
    const odd: string[] = [];
    token = undefined;
    do {
      const r = await call('GET', `/api/v1/namespaces/paging/configmaps?limit=4&labelSelector=n%3D1${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      assert.ok(r.body.items.length <= 4);
      assert.equal(r.body.metadata.remainingItemCount, undefined);
      odd.push(...r.body.items.map((c: any) => c.metadata.name));
      token = r.body.metadata.continue;
    } while (token);
    assert.equal(odd.length, 12);
    assertStatus(await call('GET', '/api/v1/namespaces/paging/configmaps?limit=10&continue=not-a-token!'), 400, 'BadRequest');
    assertStatus(await call('GET', '/api/v1/namespaces/paging/configmaps?limit=ten'), 400, 'BadRequest');
  });

  it('watches ADDED, MODIFIED, DELETED in order and resumes without duplicates', async () => {
    await createNamespace('watching');
    const start = (await call('GET', '/api/v1/namespaces/watching/configmaps')).body.metadata.resourceVersion;
    const url = `${gateway.url}/api/v1/namespaces/watching/configmaps?watch=true&resourceVersion=${start}`;
    const watching = readWatch(url, (ev) => ev.length >= 3);
    await new Promise((r) => setTimeout(r, 50));
    const created = await call('POST', '/api/v1/namespaces/watching/configmaps', configMap('w'));
    const patched = await call('PATCH', '/api/v1/namespaces/watching/configmaps/w', { data: { key: 'v2' } }, 'application/merge-patch+json');
    const deleted = await call('DELETE', '/api/v1/namespaces/watching/configmaps/w');
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.metadata.name, 'w');
    const { events } = await watching;
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.deepEqual(
      events.map((e) => e.object.metadata.resourceVersion),
      [created.body.metadata.resourceVersion, patched.body.metadata.resourceVersion, deleted.body.metadata.resourceVersion],
    );
    assert.equal(events[1].object.data.key, 'v2');
    // Resuming after the MODIFIED event yields exactly the DELETED one.
    const resumed = await readWatch(
      `${gateway.url}/api/v1/namespaces/watching/configmaps?watch=1&resourceVersion=${events[1].object.metadata.resourceVersion}&timeoutSeconds=1`,
      () => false,
    );
    assert.deepEqual(resumed.events.map((e) => e.type), ['DELETED']);
    // Without a resourceVersion: synthetic ADDED for what exists now, then live events.
    await call('POST', '/api/v1/namespaces/watching/configmaps', configMap('a'));
    const fromNow = await readWatch(`${gateway.url}/api/v1/namespaces/watching/configmaps?watch=true&timeoutSeconds=1`, () => false);
    assert.deepEqual(fromNow.events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'a']]);
  });

  it('applies selectors to watch events like kube-apiserver', async () => {
    await createNamespace('selwatch');
    const start = (await call('GET', '/api/v1/namespaces/selwatch/configmaps')).body.metadata.resourceVersion;
    const watching = readWatch(
      `${gateway.url}/api/v1/namespaces/selwatch/configmaps?watch=true&resourceVersion=${start}&labelSelector=team%3Dblue`,
      (ev) => ev.length >= 3,
    );
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', '/api/v1/namespaces/selwatch/configmaps', configMap('x', { team: 'red' }));
    await call('PATCH', '/api/v1/namespaces/selwatch/configmaps/x', { metadata: { labels: { team: 'blue' } } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/selwatch/configmaps/x', { data: { more: '1' } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/selwatch/configmaps/x', { metadata: { labels: { team: 'green' } } }, 'application/merge-patch+json');
    const { events } = await watching;
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[2].object.metadata.labels.team, 'green');
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    const created = await call('POST', '/api/v1/namespaces/shop/configmaps', configMap('held', {}, { finalizers: ['example.com/hold'] }));
    assert.equal(created.status, 201, created.text);
    const del = await call('DELETE', '/api/v1/namespaces/shop/configmaps/held');
    assert.equal(del.status, 200, del.text);
    assert.ok(del.body.metadata.deletionTimestamp);
    const still = await call('GET', '/api/v1/namespaces/shop/configmaps/held');
    assert.equal(still.status, 200);
    assert.ok(still.body.metadata.deletionTimestamp);
    const addMore = await call(
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/held',
      { metadata: { finalizers: ['example.com/hold', 'example.com/other'] } },
      'application/merge-patch+json',
    );
    assertStatus(addMore, 422, 'Invalid');
    const release = await call('PATCH', '/api/v1/namespaces/shop/configmaps/held', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(release.status, 200, release.text);
    assertStatus(await call('GET', '/api/v1/namespaces/shop/configmaps/held'), 404, 'NotFound');
  });

  it('honours delete preconditions', async () => {
    const c = await call('POST', '/api/v1/namespaces/shop/configmaps', configMap('pre'));
    const wrongUid = await call('DELETE', '/api/v1/namespaces/shop/configmaps/pre', { preconditions: { uid: 'nope' } });
    assertStatus(wrongUid, 409, 'Conflict');
    const wrongRv = await call('DELETE', '/api/v1/namespaces/shop/configmaps/pre', { preconditions: { resourceVersion: '1' } });
    assertStatus(wrongRv, 409, 'Conflict');
    const right = await call('DELETE', '/api/v1/namespaces/shop/configmaps/pre?propagationPolicy=Foreground&gracePeriodSeconds=0', {
      preconditions: { uid: c.body.metadata.uid, resourceVersion: c.body.metadata.resourceVersion },
    });
    assert.equal(right.status, 200, right.text);
    assertStatus(await call('DELETE', '/api/v1/namespaces/shop/configmaps/pre'), 404, 'NotFound');
    assertStatus(await call('DELETE', '/api/v1/namespaces/shop/configmaps/x?propagationPolicy=Sometimes'), 400, 'BadRequest');
  });

  it('deletes a collection by selector', async () => {
    await createNamespace('bulk');
    for (const [name, team] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['b2', 'b']] as const) {
      assert.equal((await call('POST', '/api/v1/namespaces/bulk/configmaps', configMap(name, { team }))).status, 201);
    }
    const r = await call('DELETE', '/api/v1/namespaces/bulk/configmaps?labelSelector=team%3Da');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items.map((c: any) => c.metadata.name), ['a1', 'a2', 'a3']);
    const left = await call('GET', '/api/v1/namespaces/bulk/configmaps');
    assert.deepEqual(left.body.items.map((c: any) => c.metadata.name), ['b1', 'b2']);
  });

  it('dryRun=All validates and answers without writing', async () => {
    const rvBefore = (await call('GET', '/api/v1/namespaces/shop/configmaps')).body.metadata.resourceVersion;
    const create = await call('POST', '/api/v1/namespaces/shop/configmaps?dryRun=All', configMap('dry'));
    assert.equal(create.status, 201, create.text);
    assert.equal(create.body.metadata.name, 'dry');
    assertStatus(await call('GET', '/api/v1/namespaces/shop/configmaps/dry'), 404, 'NotFound');
    assertStatus(await call('POST', '/api/v1/namespaces/shop/configmaps?dryRun=All', configMap('Not_Valid')), 422, 'Invalid');
    const patch = await call('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web?dryRun=All', { spec: { replicas: 100 } }, 'application/merge-patch+json');
    assert.equal(patch.body.spec.replicas, 100);
    assert.notEqual((await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body.spec.replicas, 100);
    const del = await call('DELETE', '/apis/apps/v1/namespaces/shop/deployments/web?dryRun=All');
    assert.equal(del.status, 200);
    assert.equal((await call('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/shop/configmaps')).body.metadata.resourceVersion, rvBefore);
    assertStatus(await call('POST', '/api/v1/namespaces/shop/configmaps?dryRun=Some', configMap('dry')), 400, 'BadRequest');
  });

  it('creates only in existing, active namespaces and empties a deleted namespace', async () => {
    const missing = await call('POST', '/api/v1/namespaces/nowhere/configmaps', configMap('c'));
    assertStatus(missing, 404, 'NotFound');
    assert.equal(missing.body.message, 'namespaces "nowhere" not found');
    assert.equal((await call('GET', '/api/v1/namespaces/default')).status, 200, 'default exists from the start');

    await createNamespace('doomed');
    await call('POST', '/api/v1/namespaces/doomed/configmaps', configMap('one'));
    await call('POST', '/apis/apps/v1/namespaces/doomed/deployments', deployment('two'));
    await call('POST', '/api/v1/namespaces/doomed/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'held', finalizers: ['example.com/x'] } });
    const del = await call('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.status.phase, 'Terminating');
    assert.ok(del.body.metadata.deletionTimestamp);
    assert.deepEqual(del.body.spec.finalizers, ['kubernetes']);
    const refused = await call('POST', '/api/v1/namespaces/doomed/configmaps', configMap('late'));
    assertStatus(refused, 403, 'Forbidden');
    assert.match(refused.body.message, /unable to create new content in namespace doomed because it is being terminated/);
    await eventually(async () => (await call('GET', '/api/v1/namespaces/doomed/configmaps')).body.items.length === 0);
    assert.equal((await call('GET', '/apis/apps/v1/namespaces/doomed/deployments')).body.items.length, 0);
    // The secret is held by its finalizer, and with it the namespace.
    assert.equal((await call('GET', '/api/v1/namespaces/doomed')).status, 200);
    await call('PATCH', '/api/v1/namespaces/doomed/secrets/held', { metadata: { finalizers: [] } }, 'application/merge-patch+json');
    await eventually(async () => (await call('GET', '/api/v1/namespaces/doomed')).status === 404);
  });

  it('refuses bodies over 3 MiB with 413', async () => {
    const big = JSON.stringify(configMap('big', {}, {})).replace('"data":{', `"data":{"blob":"${'x'.repeat(4 * 1024 * 1024)}",`);
    const r = await call('POST', '/api/v1/namespaces/shop/configmaps', big);
    assertStatus(r, 413, 'RequestEntityTooLarge');
    // The gateway keeps serving.
    assert.equal((await call('GET', '/healthz')).status, 200);
  });

  it('serves /healthz, /livez, /readyz and /metrics', async () => {
    const healthz = await call('GET', '/healthz');
    assert.equal(healthz.status, 200);
    assert.equal(healthz.text, 'ok');
    assert.equal((await call('GET', '/livez')).text, 'ok');
    const ready = await call('GET', '/readyz?verbose');
    assert.equal(ready.status, 200);
    assert.match(ready.text, /\[\+\]watch-cache-sync ok/);
    assert.match(ready.text, /readyz check passed/);
    const metrics = await call('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(metrics.text, /apiserver_request_total\{verb="CREATE",resource="deployments",code="201"\} \d+/);
    assert.match(metrics.text, /apiserver_request_total\{verb="LIST",resource="configmaps",code="200"\} \d+/);
    assert.match(metrics.text, /apiserver_request_total\{verb="GET",resource="deployments",code="404"\} \d+/);
    assert.match(metrics.text, /apiserver_request_duration_seconds_bucket\{le="[^"]+",verb="WATCH",resource="configmaps"\}/);
    assert.match(metrics.text, /apiserver_watch_events_total\{resource="configmaps",type="ADDED"\} \d+/);
  });
});

describe('gateway watch history (e2e)', function () {
  this.timeout(20000);
  let store: Store;
  let gateway: Gateway;

  before(async () => {
    store = await openStore('sqlite::memory:');
    gateway = new Gateway({ store, logger: silent, watchCache: { historySize: 3 } });
    await gateway.start();
  });

  after(async () => {
    await gateway?.stop();
    await store?.close();
  });

  it('answers a watch from a revision older than the history with a 410 Expired', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${gateway.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(configMap(`h${i}`)),
      });
      assert.equal(res.status, 201);
    }
    // History at or below the compacted revision is gone from the store, and the cache keeps only 3 events.
    await store.compact(await store.currentRevision());
    const r = await readWatch(`${gateway.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1`, (ev) => ev.length >= 1);
    // As kube-apiserver once streaming: 200, then one ERROR event carrying the Status.
    assert.equal(r.status, 200);
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0]?.type, 'ERROR');
    const status = r.events[0].object;
    assert.equal(status?.kind, 'Status');
    assert.equal(status.code, 410);
    assert.equal(status.reason, 'Expired');
  });

  it('ends open watch streams on stop', async () => {
    const watching = readWatch(`${gateway.url}/api/v1/namespaces/default/configmaps?watch=true`, () => false, 10000);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await gateway.stop();
    const { events } = await watching;
    assert.ok(Date.now() - started < 3000);
    assert.equal(events.filter((e) => e.type === 'ADDED').length, 8);
  });
});

describe('gateway watch backpressure (e2e)', function () {
  this.timeout(30000);
  let store: Store;
  let gateway: Gateway;

  before(async () => {
    store = await openStore('sqlite::memory:');
    gateway = new Gateway({ store, logger: silent, watchCache: { maxBacklog: 5 } });
    await gateway.start();
  });

  after(async () => {
    await gateway?.stop();
    await store?.close();
  });

  it('ends the stream of a client that does not read once the cache cuts it off', async () => {
    const list = (await (await fetch(`${gateway.url}/api/v1/namespaces/default/configmaps`)).json()) as { metadata: { resourceVersion: string } };
    const start = list.metadata.resourceVersion;
    const ac = new AbortController();
    const res = await fetch(`${gateway.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`, { signal: ac.signal });
    assert.equal(res.status, 200);
    // 60 writes of ~256 KiB: far more than socket buffers hold while nobody reads.
    const blob = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 60; i++) {
      const r = await fetch(`${gateway.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bp-${i}` }, data: { blob } }),
      });
      assert.equal(r.status, 201);
    }
    // Now read: the stream holds what was buffered before the cut-off, then ends.
    const text = await res.text();
    const events = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    assert.ok(events.length > 0, 'some events arrived');
    assert.ok(events.length < 60, `the slow watcher was cut off (got ${events.length})`);
    assert.ok(events.every((e) => e.type === 'ADDED'));
    ac.abort();
  });
});
