/**
 * `fedgate up` as a user runs it: one command, a real gateway and real member processes on
 * loopback, stopped with Ctrl-C sent to the process group as a terminal does. Every process
 * `up` started is found by walking parent ids in /proc, so the tests can check none is left.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gatewayRequest, GatewayRequestError, GatewayUnreachableError, type TargetLike } from '../../cli/gateway-client.js';
import { readKubeconfig, targetOf, type GatewayTarget } from '../../cli/kubeconfig.js';
import { runFedgate } from '../fixtures/cli-run.js';
import { descendants, isAlive } from '../fixtures/processes.js';
import { sleep, waitFor } from '../fixtures/wait.js';

type Obj = any;

const root = resolve(import.meta.dirname, '..', '..');
const PORT_FLAGS = ['--listen', '127.0.0.1:0', '--join-listen', '127.0.0.1:0', '--member-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0'];
// Loopback ranges of their own (127.140+, 127.150+, 127.160+), apart from the default ones
// (127.10+) a `npm start` on this machine uses and from the other tests' ranges.
const TWO = ['--member-octet', '140'];
const NPM = ['--member-octet', '150'];
const DEMO = ['--member-octet', '160'];
const CLUSTERS = '/apis/cluster.fedgate.io/v1alpha1/clusters';

/** A running `fedgate up`, in its own process group (as a shell runs a foreground job). */
interface UpRun {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  exited: Promise<number | null>;
}

const runs = new Set<UpRun>();

/** Starts `fedgate up ARGS`, or `npm start -- ARGS` (what a user types) with `viaNpm`. */
function startUp(args: string[], viaNpm = false): UpRun {
  const [command, argv] = viaNpm ? ['npm', ['start', '--silent', '--', ...args]] : [process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'up', ...args]];
  const child = spawn(command, argv, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const run: UpRun = { child, pid: child.pid!, stdout: () => (err ? `${out}\n--- stderr ---\n${err}` : out), exited };
  runs.add(run);
  void exited.then(() => runs.delete(run));
  return run;
}

/** Waits until stdout matches `pattern`; fails early when `up` exits. */
async function waitForOutput(run: UpRun, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  let gone = false;
  void run.exited.then(() => (gone = true));
  return waitFor(`fedgate up to print ${pattern}`, async () => {
    const m = pattern.exec(run.stdout());
    if (m) return m;
    if (gone) throw new Error(`fedgate up exited:\n${run.stdout()}`);
    return undefined;
  }, timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message}\n--- output ---\n${run.stdout()}`);
  });
}

/** The command line of a process. */
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole process group. */
async function interrupt(run: UpRun): Promise<number | null> {
  process.kill(-run.pid, 'SIGINT');
  return Promise.race([run.exited, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`fedgate up did not exit after SIGINT:\n${run.stdout()}`)), 40_000))]);
}

/** GET through the REST client a user's kubeconfig drives (https, the gateway CA, the admin token). */
async function get(target: TargetLike, path: string): Promise<{ status: number; body: Obj }> {
  try {
    return { status: 200, body: await gatewayRequest(target, 'GET', path) };
  } catch (err) {
    if (err instanceof GatewayRequestError) return { status: err.status, body: undefined };
    throw err;
  }
}

const ok = (target: TargetLike, method: string, path: string, body?: unknown): Promise<Obj> => gatewayRequest(target, method, path, body);

const readyStatus = (c: Obj): string | undefined => (c.status?.conditions ?? []).find((x: Obj) => x.type === 'Ready')?.status;

/** The member rows of the summary table: name → [region, api, pods, state]. */
function memberRows(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  const table = stdout.slice(stdout.lastIndexOf('MEMBER'));
  for (const line of table.split('\n').slice(1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== 5) break;
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

/** SIGKILLs every `up` still running and all it started (after a failed test). */
function killLeftovers(): void {
  for (const run of runs) {
    for (const pid of descendants(run.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    run.child.kill('SIGKILL');
  }
}

describe('fedgate up', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'fedgate-up-'));
    dirs.push(dir);
    return dir;
  };

  after(() => {
    killLeftovers();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad flags with a clear message', async () => {
    const many = await runFedgate(['up', '--members', '99', '--data', '/nonexistent/fedgate-up']);
    assert.notEqual(many.code, 0);
    assert.match(many.stderr, /--members .*expected a whole number from 0 to 8/);
    const runtime = await runFedgate(['up', '--runtime', 'docker', '--data', '/nonexistent/fedgate-up']);
    assert.notEqual(runtime.code, 0);
    assert.match(runtime.stderr, /--runtime .*Allowed choices are process, simulated/);
    const listen = await runFedgate(['up', '--listen', 'nope', '--data', '/nonexistent/fedgate-up']);
    assert.notEqual(listen.code, 0);
    assert.match(listen.stderr, /--listen: "nope" is not HOST:PORT/);
    assert.equal(existsSync('/nonexistent/fedgate-up'), false, 'nothing was created');
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const notDir = await runFedgate(['up', '--data', file]);
    assert.notEqual(notDir.code, 0);
    assert.match(notDir.stderr, /--data .*a-file: cannot use it as the data directory \(ENOTDIR/);
  });

  describe('two members, simulated runtime: up, Ctrl-C, up again', () => {
    after(killLeftovers);
    let data: string;
    let first: UpRun;
    let api: GatewayTarget;
    const identities = new Map<string, { uid: string; tokenId: string; cert: string }>();

    before(() => {
      data = tempDir();
    });

    it('brings up the gateway and 2 Ready members, and writes a kubeconfig that reaches the gateway', async () => {
      first = startUp(['--data', data, '--members', '2', '--runtime', 'simulated', ...TWO, ...PORT_FLAGS]);
      await waitForOutput(first, /^stop: Ctrl-C$/m);
      const out = first.stdout();
      assert.match(out, /fedgate is up: 2 members Ready, ready in \d+\.\ds/);
      assert.match(out, /^\s+API\s+https:\/\/127\.0\.0\.1:\d+$/m);
      assert.match(out, /^\s+DNS\s+127\.0\.0\.1:\d+\s+zone global\.fedgate\.internal$/m);
      const kubeconfig = join(data, 'fedgate.kubeconfig');
      assert.match(out, new RegExp(`^export KUBECONFIG=${kubeconfig.replace(/[.]/g, '\\.')}$`, 'm'));
      const rows = memberRows(out);
      assert.deepEqual([...rows.keys()], ['eu-west', 'us-east']);
      assert.deepEqual(rows.get('eu-west'), ['eu-west', 'https://127.140.0.1:10443', '127.140.0.0/16', 'Ready']);
      assert.deepEqual(rows.get('us-east'), ['us-east', 'https://127.141.0.1:10443', '127.141.0.0/16', 'Ready']);
      assert.match(out, /^member APIs: kubectl --context eu-west get pods {2}\(contexts: eu-west, us-east\)$/m);

      api = targetOf(readKubeconfig(kubeconfig));
      assert.match(api.server, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(api.caPem && api.token, 'the kubeconfig carries the gateway CA and a token');
      const namespaces = await get(api, '/api/v1/namespaces');
      assert.equal(namespaces.status, 200);
      assert.ok(namespaces.body.items.some((n: Obj) => n.metadata.name === 'default'));

      const clusters = (await get(api, CLUSTERS)).body.items as Obj[];
      assert.deepEqual(clusters.map((c) => c.metadata.name).sort(), ['eu-west', 'us-east']);
      for (const c of clusters) {
        assert.equal(readyStatus(c), 'True', `${c.metadata.name} is Ready`);
        assert.equal(c.spec.region, c.metadata.name);
        identities.set(c.metadata.name, {
          uid: c.metadata.uid,
          tokenId: c.metadata.annotations['cluster.fedgate.io/bootstrap-token-id'],
          cert: readFileSync(join(data, 'members', c.metadata.name, 'pki', 'member.crt'), 'utf8'),
        });
      }
      // Each member's own API answers on its own loopback address, over HTTPS, to its context
      // of the kubeconfig (the member's CA and admin token), and to no one without credentials.
      const euWest = targetOf(readKubeconfig(kubeconfig), 'eu-west');
      assert.equal(euWest.server, 'https://127.140.0.1:10443');
      const nodes = await get(euWest, '/api/v1/nodes');
      assert.equal(nodes.status, 200);
      assert.ok(nodes.body.items.every((n: Obj) => n.metadata.name.startsWith('eu-west-node-')));
      assert.equal((await get({ server: euWest.server, caPem: euWest.caPem! }, '/api/v1/nodes')).status, 401);
      // The gateway reaches it too, for a user holding gateway credentials only.
      const proxied = await get(api, `${CLUSTERS}/us-east/proxy/api/v1/nodes`);
      assert.equal(proxied.status, 200);
      assert.ok(proxied.body.items.every((n: Obj) => n.metadata.name.startsWith('us-east-node-')));
      assert.ok(existsSync(join(data, 'logs', 'gateway.log')) && existsSync(join(data, 'logs', 'member-eu-west.log')), 'logs go to files');

      await ok(api, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } });
      await ok(api, 'POST', '/api/v1/namespaces/kept/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'note' }, data: { a: '1' } });
    });

    it('says so when a member exits unexpectedly, and keeps the rest running', async () => {
      const member = descendants(first.pid).find((pid) => / member --name us-east /.test(cmdline(pid)));
      assert.ok(member, 'the us-east member process is a descendant of fedgate up');
      process.kill(member, 'SIGKILL');
      await waitForOutput(first, /member us-east exited unexpectedly \(killed by SIGKILL\).*the others keep running/);
      await waitFor('us-east NotReady', async () => readyStatus((await get(api, `${CLUSTERS}/us-east`)).body) === 'False');
      assert.equal(readyStatus((await get(api, `${CLUSTERS}/eu-west`)).body), 'True');
      assert.equal((await get(api, '/api/v1/namespaces/kept/configmaps/note')).status, 200);
    });

    it('stops everything on Ctrl-C to the process group: exit 0, no process left', async () => {
      const before = descendants(first.pid);
      assert.ok(before.some((pid) => / member --name eu-west /.test(cmdline(pid))), 'eu-west runs under fedgate up');
      assert.equal(await interrupt(first), 0, first.stdout());
      assert.match(first.stdout(), /^stopped$/m);
      const alive = before.filter(isAlive);
      assert.deepEqual(alive, [], `left behind: ${alive.map(cmdline).join('; ')}`);
      await assert.rejects(gatewayRequest(api, 'GET', '/healthz'), GatewayUnreachableError, 'the API is down');
    });

    it('comes back Ready on the same data, with the objects and member identities kept and no new token', async () => {
      const again = startUp(['--data', data, '--members', '2', '--runtime', 'simulated', ...TWO, ...PORT_FLAGS]);
      await waitForOutput(again, /^stop: Ctrl-C$/m);
      const out = again.stdout();
      assert.match(out, /fedgate is up: 2 members Ready/);
      assert.doesNotMatch(out, /joins again/);
      api = targetOf(readKubeconfig(join(data, 'fedgate.kubeconfig')));
      assert.equal((await ok(api, 'GET', '/api/v1/namespaces/kept/configmaps/note')).data.a, '1');
      for (const c of (await get(api, CLUSTERS)).body.items as Obj[]) {
        const before = identities.get(c.metadata.name);
        assert.ok(before, `${c.metadata.name} existed before`);
        assert.equal(readyStatus(c), 'True');
        assert.equal(c.metadata.uid, before.uid, 'same Cluster object');
        assert.equal(c.metadata.annotations['cluster.fedgate.io/bootstrap-token-id'], before.tokenId, 'not joined again');
        assert.equal(readFileSync(join(data, 'members', c.metadata.name, 'pki', 'member.crt'), 'utf8'), before.cert, 'same certificate');
      }
      const secrets = (await ok(api, 'GET', '/api/v1/namespaces/fedgate-system/secrets')).items as Obj[];
      assert.deepEqual(secrets.filter((s) => s.type === 'bootstrap.kubernetes.io/token').map((s) => s.metadata.name), [], 'no bootstrap token made');
      // SIGTERM to the `up` process alone (as `kill PID` does) stops everything as well.
      const before = descendants(again.pid);
      process.kill(again.pid, 'SIGTERM');
      assert.equal(await again.exited, 0, again.stdout());
      assert.match(again.stdout(), /^SIGTERM: stopping the members, then the gateway/m);
      assert.deepEqual(before.filter(isAlive).map(cmdline), []);
    });

    it('kills everything at once on a second Ctrl-C while the first one is still stopping', async () => {
      const run = startUp(['--data', data, '--members', '2', '--runtime', 'simulated', ...TWO, ...PORT_FLAGS]);
      await waitForOutput(run, /^stop: Ctrl-C$/m);
      const before = descendants(run.pid);
      const member = before.find((pid) => / member --name eu-west /.test(cmdline(pid)));
      assert.ok(member);
      // A stopped process cannot act on SIGTERM: the graceful stop waits for it.
      process.kill(member, 'SIGSTOP');
      process.kill(-run.pid, 'SIGINT');
      await waitForOutput(run, /Ctrl-C: stopping the members/);
      await sleep(1500);
      assert.equal(run.child.exitCode, null, 'still stopping');
      process.kill(-run.pid, 'SIGINT');
      assert.equal(await run.exited, 130, run.stdout());
      assert.match(run.stdout(), /killing everything now/);
      await waitFor('every process gone', async () => before.every((pid) => !isAlive(pid)), 10_000);
    });
  });

  describe('npm start', () => {
    after(killLeftovers);

    // npm and the tsx launcher may forward the terminal's SIGINT to `up` a second time (seen
    // 10-20 ms after the first); that must not count as a second Ctrl-C.
    it('stops gracefully on one Ctrl-C to the whole npm process group', async () => {
      const run = startUp(['--data', tempDir(), '--members', '1', '--runtime', 'simulated', ...NPM, ...PORT_FLAGS], true);
      await waitForOutput(run, /^stop: Ctrl-C$/m);
      assert.match(run.stdout(), /fedgate is up: 1 member Ready, ready in/);
      const before = descendants(run.pid);
      assert.ok(before.some((pid) => / member --name eu-west /.test(cmdline(pid))));
      await interrupt(run);
      assert.match(run.stdout(), /^stopped$/m);
      assert.doesNotMatch(run.stdout(), /killing everything/);
      const alive = before.filter(isAlive);
      assert.deepEqual(alive.map(cmdline), []);
    });
  });

  describe('three members, process runtime, --demo', () => {
    after(killLeftovers);
    it('serves the demo: the DNS name answers and the printed curl target answers 200; Ctrl-C leaves no pod behind', async () => {
      const data = tempDir();
      const run = startUp(['--data', data, '--members', '3', '--runtime', 'process', '--demo', ...DEMO, ...PORT_FLAGS]);
      await waitForOutput(run, /fedgate is up: 3 members Ready/);
      const curl = await waitForOutput(run, /^\s+curl (http:\/\/(127\.16[0-2]\.0\.1):(\d+)\/)$/m, 120_000);
      const dig = /^\s+dig @(\S+) -p (\d+) (web\.demo\.svc\.global\.fedgate\.internal)$/m.exec(run.stdout());
      assert.ok(dig, run.stdout());

      const resolver = new Resolver({ timeout: 2000, tries: 2 });
      resolver.setServers([`${dig[1]}:${dig[2]}`]);
      // One weighted pick per query (2:1:1 by ready endpoints): every member shows up. A
      // readiness probe that misses under load takes a member out for a moment, so keep asking.
      const seen = new Set<string>();
      await waitFor('every member in the DNS answers', async () => {
        for (let i = 0; i < 20; i++) for (const a of await resolver.resolve4(dig[3]!)) seen.add(a);
        return seen.size === 3;
      }, 20_000).catch(() => undefined);
      assert.deepEqual([...seen].sort(), ['127.160.0.1', '127.161.0.1', '127.162.0.1'], run.stdout());
      const split = /\(replicas: ([^)]*)\)/.exec(run.stdout())?.[1]?.split(', ').sort();
      assert.deepEqual(split, ['ap-south 1', 'eu-west 2', 'us-east 1'], 'replicas divided 2:1:1');

      const res = await fetch(curl[1]!, { signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^hello from (eu-west|us-east|ap-south)-node-\d+ \(pod web-/);

      const before = descendants(run.pid);
      const pods = before.filter((pid) => cmdline(pid).includes('createServer'));
      assert.equal(pods.length, 4, `4 demo pods run as processes: ${before.map(cmdline).join('\n')}`);
      assert.equal(await interrupt(run), 0, run.stdout());
      const alive = before.filter(isAlive);
      assert.deepEqual(alive, [], `left behind: ${alive.map(cmdline).join('; ')}`);
    });
  });
});
