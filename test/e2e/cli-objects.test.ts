/**
 * `fedgate apply`, `get`, `describe` and `delete` as a user runs them, against a real
 * gateway process on a SQLite store in a temporary directory. The stored objects are checked
 * through the REST API, not through the CLI under test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { runFedgate, type CliRun, type CliRunOptions } from '../fixtures/cli-run.js';
import { startGatewayProcess, type GatewayProcess } from '../fixtures/gateway-process.js';
import { waitFor } from '../fixtures/wait.js';

type Obj = any;

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'fedgate.js');

function deployment(replicas: number, labels: Record<string, string> = { app: 'web' }): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    },
  };
}

const service: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } };
const policy: Obj = {
  apiVersion: 'policy.fedgate.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }], placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } } },
};
// Listed last on purpose: apply creates Namespaces first.
const namespace: Obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };

const yamlDocs = (...objs: Obj[]): string => objs.map((o) => stringify(o)).join('---\n');

describe('fedgate apply, get, describe, delete (real gateway process)', function () {
  this.timeout(300_000);
  let dir: string;
  let gateway: GatewayProcess;
  let appFile: string;

  const fedgate = (args: string[], opts: CliRunOptions = {}): Promise<CliRun> => runFedgate([...args, '--gateway', gateway.url], 60_000, opts);
  const ok = (run: CliRun): CliRun => {
    assert.equal(run.code, 0, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    return run;
  };
  async function rest(method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: Obj }> {
    const res = await fetch(`${gateway.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': type }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const stored = async (path: string): Promise<Obj> => {
    const r = await rest('GET', path);
    assert.equal(r.status, 200, `GET ${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const DEPLOY = '/apis/apps/v1/namespaces/shop/deployments/web';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-cli-objects-'));
    gateway = await startGatewayProcess(`sqlite:${join(dir, 'fedgate.db')}`, ['--no-dns']);
    appFile = join(dir, 'app.yaml');
  });

  after(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('apply', () => {
    it('creates every object of a multi-document file, Namespaces first', async () => {
      writeFileSync(appFile, yamlDocs(deployment(3), service, policy, namespace));
      const run = ok(await fedgate(['apply', '-f', appFile]));
      assert.deepEqual(run.stdout.trim().split('\n'), [
        'namespace/shop created',
        'deployment.apps/web created',
        'service/web created',
        'propagationpolicy.policy.fedgate.io/web created',
      ]);
      assert.equal((await stored(DEPLOY)).spec.replicas, 3);
      await stored('/api/v1/namespaces/shop/services/web');
      await stored('/apis/policy.fedgate.io/v1alpha1/namespaces/shop/propagationpolicies/web');
    });

    it('reports unchanged objects as unchanged and writes nothing', async () => {
      const before = (await stored('/api/v1/namespaces/shop/services/web')).metadata.resourceVersion;
      const run = ok(await fedgate(['apply', '-f', appFile]));
      assert.deepEqual(run.stdout.trim().split('\n'), [
        'namespace/shop unchanged',
        'deployment.apps/web unchanged',
        'service/web unchanged',
        'propagationpolicy.policy.fedgate.io/web unchanged',
      ]);
      assert.equal((await stored('/api/v1/namespaces/shop/services/web')).metadata.resourceVersion, before);
    });

    it('configures what changed: new values set, dropped fields deleted, fields set by others kept', async () => {
      // Someone else labels the live Deployment; apply must leave that label alone.
      assert.equal((await rest('PATCH', DEPLOY, { metadata: { labels: { owner: 'ops' } } }, 'application/merge-patch+json')).status, 200);
      writeFileSync(appFile, yamlDocs(deployment(5, { app: 'web', tier: 'front' }), service, policy, namespace));
      ok(await fedgate(['apply', '-f', appFile]));
      writeFileSync(appFile, yamlDocs(deployment(5, { app: 'web' }), service, policy, namespace));
      const run = ok(await fedgate(['apply', '-f', appFile]));
      assert.match(run.stdout, /^deployment\.apps\/web configured$/m);
      assert.match(run.stdout, /^service\/web unchanged$/m);
      const live = await stored(DEPLOY);
      assert.equal(live.spec.replicas, 5);
      assert.deepEqual(live.metadata.labels, { app: 'web', owner: 'ops' });
    });

    it('--dry-run=server checks and stores nothing', async () => {
      const file = join(dir, 'dry.yaml');
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'shop' }, data: { a: '1' } };
      writeFileSync(file, yamlDocs(deployment(9), cm));
      const run = ok(await fedgate(['apply', '-f', file, '--dry-run=server']));
      assert.match(run.stdout, /^deployment\.apps\/web configured \(server dry run\)$/m);
      assert.match(run.stdout, /^configmap\/dry created \(server dry run\)$/m);
      assert.equal((await stored(DEPLOY)).spec.replicas, 5);
      assert.equal((await rest('GET', '/api/v1/namespaces/shop/configmaps/dry')).status, 404);
    });

    it('reads stdin (a JSON List) and directories in name order, with -n for objects without a namespace', async () => {
      const cm = (name: string): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { from: name } });
      const stdin = ok(await fedgate(['apply', '-f', '-', '-n', 'shop'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cm('s1'), cm('s2')] }) }));
      assert.deepEqual(stdin.stdout.trim().split('\n'), ['configmap/s1 created', 'configmap/s2 created']);
      const manifests = join(dir, 'manifests');
      mkdirSync(manifests);
      writeFileSync(join(manifests, '2-b.json'), JSON.stringify(cm('b')));
      writeFileSync(join(manifests, '1-a.yaml'), stringify(cm('a')));
      writeFileSync(join(manifests, 'README.md'), '# not a manifest');
      const fromDir = ok(await fedgate(['apply', '-f', manifests, '-n', 'shop']));
      assert.deepEqual(fromDir.stdout.trim().split('\n'), ['configmap/a created', 'configmap/b created']);
      assert.equal((await stored('/api/v1/namespaces/shop/configmaps/b')).data.from, 'b');
    });

    it('fails clearly: missing file, bad YAML with file and document, unknown kind, namespace mismatch, server errors', async () => {
      const missing = await fedgate(['apply', '-f', join(dir, 'nope.yaml')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /the path ".*nope\.yaml" does not exist/);

      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, `${stringify(namespace)}---\nkind: Deployment\nmetadata: {name: x\n`);
      const badRun = await fedgate(['apply', '-f', bad]);
      assert.equal(badRun.code, 1);
      assert.match(badRun.stderr, /bad\.yaml \(document 2\): invalid YAML/);

      const unknown = join(dir, 'unknown.yaml');
      writeFileSync(unknown, yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'never', namespace: 'shop' } }, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }));
      const unknownRun = await fedgate(['apply', '-f', unknown]);
      assert.equal(unknownRun.code, 1);
      assert.match(unknownRun.stderr, /unknown\.yaml \(document 2\): no matches for kind "Widget" in version "example\.com\/v1"/);
      assert.equal((await rest('GET', '/api/v1/namespaces/shop/configmaps/never')).status, 404, 'nothing is applied when a kind is unknown');

      const other = await fedgate(['apply', '-f', appFile, '-n', 'default']);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /the namespace from the provided object "shop" does not match the namespace "default"/);

      const invalid = join(dir, 'invalid.yaml');
      const broken = { ...deployment(1), metadata: { name: 'broken', namespace: 'shop' }, spec: { replicas: -1 } };
      writeFileSync(invalid, yamlDocs(broken, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-broken', namespace: 'shop' } }));
      const invalidRun = await fedgate(['apply', '-f', invalid]);
      assert.equal(invalidRun.code, 1);
      assert.match(invalidRun.stderr, /Error from server \(Invalid\): applying deployment\.apps\/broken from .*invalid\.yaml \(document 1\): Deployment "broken" is invalid/);
      assert.doesNotMatch(invalidRun.stderr, /\n\s+at /, 'no stack trace');
      assert.match(invalidRun.stdout, /^configmap\/after-broken created$/m, 'the other objects are still applied');
    });
  });

  describe('get', () => {
    it('prints a table, or the objects as YAML, JSON or names', async () => {
      const table = ok(await fedgate(['get', 'deployments', '-n', 'shop']));
      assert.match(table.stdout, /^NAME\s+.*AGE/m);
      assert.match(table.stdout, /^web\s+/m);

      const yaml = parse(ok(await fedgate(['get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml'])).stdout);
      assert.equal(yaml.kind, 'Deployment');
      assert.equal(yaml.spec.replicas, 5);

      const json = JSON.parse(ok(await fedgate(['get', 'cm', '-n', 'shop', '-o', 'json'])).stdout);
      assert.equal(json.kind, 'List');
      assert.deepEqual(json.items.map((o: Obj) => o.metadata.name).sort(), ['a', 'after-broken', 'b', 's1', 's2']);
      assert.ok(json.items.every((o: Obj) => o.apiVersion === 'v1' && o.kind === 'ConfigMap'));

      const names = ok(await fedgate(['get', 'deployment.apps,svc,pp', '-n', 'shop', '-o', 'name']));
      assert.deepEqual(names.stdout.trim().split('\n'), ['deployment.apps/web', 'service/web', 'propagationpolicy.policy.fedgate.io/web']);
    });

    it('filters by label and field selectors, spans namespaces with -A, and prints several kinds with prefixes', async () => {
      const byLabel = ok(await fedgate(['get', 'svc,deploy', '-n', 'shop', '-l', 'app=web']));
      assert.match(byLabel.stdout, /^service\/web\s/m);
      assert.match(byLabel.stdout, /^deployment\.apps\/web\s/m);
      const none = ok(await fedgate(['get', 'deploy', '-n', 'shop', '-l', 'app=other']));
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /No resources found in shop namespace\./);
      const byField = ok(await fedgate(['get', 'cm', '-n', 'shop', '--field-selector', 'metadata.name=a', '-o', 'name']));
      assert.equal(byField.stdout, 'configmap/a\n');

      const all = ok(await fedgate(['get', 'configmaps', '-A']));
      assert.match(all.stdout, /^NAMESPACE\s+NAME\s/m);
      assert.match(all.stdout, /^shop\s+s1\s/m);
      const wide = ok(await fedgate(['get', 'deploy', '-n', 'shop', '-o', 'wide']));
      assert.match(wide.stdout, /^NAME\s/m);
      assert.match(wide.stdout, /^web\s/m);
    });

    it('reports missing objects with the server message and exit 1, or nothing with --ignore-not-found', async () => {
      const run = await fedgate(['get', 'deploy', 'web', 'ghost', '-n', 'shop']);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^web\s/m, 'the objects that exist are printed');
      assert.match(run.stderr, /Error from server \(NotFound\): deployments\.apps "ghost" not found/);
      const quiet = ok(await fedgate(['get', 'deploy', 'ghost', '-n', 'shop', '--ignore-not-found']));
      assert.equal(quiet.stderr, '');
      const kind = await fedgate(['get', 'widgets']);
      assert.equal(kind.code, 1);
      assert.match(kind.stderr, /the server doesn't have a resource type "widgets"/);
    });

    it('-w prints the current objects, then a row per change, and stops on Ctrl-C with exit 0', async () => {
      const child = spawn(process.execPath, [bin, 'get', 'deployments', '-n', 'shop', '-w', '--gateway', gateway.url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
      try {
        await waitFor('the listing', async () => /^web\s/m.test(out), 60_000);
        const rowsBefore = out.split('\n').filter((l) => /^web\s/.test(l)).length;
        assert.equal((await rest('PATCH', DEPLOY, { spec: { replicas: 6 } }, 'application/merge-patch+json')).status, 200);
        await waitFor('a row for the update', async () => out.split('\n').filter((l) => /^web\s/.test(l)).length > rowsBefore, 30_000);
        child.kill('SIGINT');
        assert.equal(await exited, 0, `stderr: ${err}`);
        assert.match(out, /^NAME\s/);
        assert.equal(out.split('\n').filter((l) => /^NAME\s/.test(l)).length, 1, 'one header');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });

  describe('describe', () => {
    it('describes a federated Deployment with its placement, and a Namespace', async () => {
      await waitFor('a placement on the Deployment', async () => (await stored(DEPLOY)).status?.placement !== undefined);
      const run = ok(await fedgate(['describe', 'deployment', 'web', '-n', 'shop']));
      assert.match(run.stdout, /^Name:\s+web$/m);
      assert.match(run.stdout, /^Namespace:\s+shop$/m);
      assert.match(run.stdout, /^Labels:\s+app=web$/m);
      assert.match(run.stdout, /^\s+owner=ops$/m);
      assert.doesNotMatch(run.stdout, /last-applied-configuration/);
      assert.match(run.stdout, /^Replicas:\s+6 desired \|/m);
      assert.match(run.stdout, /^\s+Image:\s+nginx:1\.27$/m);
      assert.match(run.stdout, /^Placement:$/m);
      assert.match(run.stdout, /^\s+Policy:\s+shop\/web$/m);
      const ns = ok(await fedgate(['describe', 'ns/shop']));
      assert.match(ns.stdout, /^Status:\s+Active$/m);
      const missing = await fedgate(['describe', 'deploy', 'ghost', '-n', 'shop']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /deployments\.apps "ghost" not found/);
    });
  });

  describe('delete', () => {
    it('deletes by name, by selector and --all, and reports missing objects', async () => {
      const one = ok(await fedgate(['delete', 'configmap', 'a', '-n', 'shop']));
      assert.equal(one.stdout, 'configmap "a" deleted\n');
      assert.equal((await rest('GET', '/api/v1/namespaces/shop/configmaps/a')).status, 404);

      const dry = ok(await fedgate(['delete', 'cm', 'b', '-n', 'shop', '--dry-run=server']));
      assert.equal(dry.stdout, 'configmap "b" deleted (server dry run)\n');
      assert.equal((await rest('GET', '/api/v1/namespaces/shop/configmaps/b')).status, 200);

      assert.equal((await rest('PATCH', '/api/v1/namespaces/shop/configmaps/s1', { metadata: { labels: { batch: 's' } } }, 'application/merge-patch+json')).status, 200);
      const bySelector = ok(await fedgate(['delete', 'cm', '-l', 'batch=s', '-n', 'shop']));
      assert.equal(bySelector.stdout, 'configmap "s1" deleted\n');

      const noName = await fedgate(['delete', 'cm', '-n', 'shop']);
      assert.equal(noName.code, 1);
      assert.match(noName.stderr, /no name was specified/);

      const ghost = await fedgate(['delete', 'cm', 'ghost', '-n', 'shop']);
      assert.equal(ghost.code, 1);
      assert.match(ghost.stderr, /Error from server \(NotFound\): configmaps "ghost" not found/);
      ok(await fedgate(['delete', 'cm', 'ghost', '-n', 'shop', '--ignore-not-found']));

      const all = ok(await fedgate(['delete', 'cm', '--all', '-n', 'shop']));
      assert.deepEqual(all.stdout.trim().split('\n').sort(), ['configmap "after-broken" deleted', 'configmap "b" deleted', 'configmap "s2" deleted']);
    });

    it('deletes the objects of a file, the Namespace last, and waits until they are gone', async () => {
      const run = ok(await fedgate(['delete', '-f', appFile, '--cascade=foreground']));
      assert.deepEqual(run.stdout.trim().split('\n'), [
        'deployment.apps "web" deleted',
        'service "web" deleted',
        'propagationpolicy.policy.fedgate.io "web" deleted',
        'namespace "shop" deleted',
      ]);
      assert.equal((await rest('GET', '/api/v1/namespaces/shop')).status, 404, 'the namespace is gone when delete returns');
      assert.equal((await rest('GET', DEPLOY)).status, 404);
    });
  });
});
