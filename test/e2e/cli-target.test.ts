/**
 * How CLI commands find their gateway (`--gateway`, `--kubeconfig`, `--context`,
 * `$KUBECONFIG`), `fedgate kubeconfig` and `fedgate version`, and how they fail when the
 * gateway is wrong or unreachable — against a real gateway process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubeconfigFor, KUBECONFIG_FILE, writeKubeconfig } from '../../cli/kubeconfig.js';
import { failedWith, runFedgate, succeeded, type CliRun } from '../fixtures/cli-run.js';
import { startGatewayProcess, type GatewayProcess } from '../fixtures/gateway-process.js';

/** A loopback port nothing listens on (discard). */
const DEAD_GATEWAY = 'http://127.0.0.1:9';

describe('fedgate CLI targets, kubeconfig and version (real gateway process)', function () {
  this.timeout(300_000);
  let dir: string;
  let gateway: GatewayProcess;
  let kubeconfig: string;
  // No KUBECONFIG from the environment running the tests.
  const run = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> => runFedgate(args, 60_000, { env: { KUBECONFIG: undefined, ...env } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-cli-target-'));
    gateway = await startGatewayProcess(`sqlite:${join(dir, 'fedgate.db')}`, ['--no-dns']);
    kubeconfig = join(dir, 'fedgate.kubeconfig');
  });

  after(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fedgate kubeconfig writes a 0600 kubeconfig that --kubeconfig and $KUBECONFIG then use', async () => {
    const printed = parse(succeeded(await run(['kubeconfig', '--gateway', gateway.url, '--token', 'abc.def'])).stdout);
    assert.equal(printed.kind, 'Config');
    assert.equal(printed.clusters[0].cluster.server, gateway.url);
    assert.equal(printed.users[0].user.token, 'abc.def');

    succeeded(await run(['kubeconfig', '--gateway', gateway.url, '-o', kubeconfig, '--namespace', 'kube-public']));
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    const viaFlag = succeeded(await run(['get', 'namespaces', '--kubeconfig', kubeconfig]));
    assert.match(viaFlag.stdout, /^default\s/m);
    const viaEnv = succeeded(await run(['get', 'namespaces', '-o', 'name'], { KUBECONFIG: `${join(dir, 'missing')}:${kubeconfig}` }));
    assert.match(viaEnv.stdout, /^namespace\/default$/m);
    // The context's namespace is the default namespace of namespaced commands.
    const ns = await run(['get', 'configmaps'], { KUBECONFIG: kubeconfig });
    assert.match(ns.stderr, /No resources found in kube-public namespace\./);
    // --gateway wins over both.
    failedWith(await run(['get', 'namespaces', '--gateway', DEAD_GATEWAY, '--kubeconfig', kubeconfig], { KUBECONFIG: kubeconfig }), /cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });

  it('fedgate kubeconfig --data prints the one fedgate up wrote, and says so when there is none', async () => {
    const data = join(dir, 'up-data');
    writeKubeconfig(join(data, KUBECONFIG_FILE), kubeconfigFor({ server: gateway.url, token: 'admin-token' }));
    const out = parse(succeeded(await run(['kubeconfig', '--data', data])).stdout);
    assert.equal(out.users[0].user.token, 'admin-token');
    failedWith(await run(['kubeconfig', '--data', join(dir, 'nothing-here')]), /no kubeconfig in .*nothing-here \(fedgate up writes .*fedgate\.kubeconfig\)/);
  });

  it('the older commands take the same target flags (token create, explain, dns explain, unjoin)', async () => {
    const token = succeeded(await run(['token', 'create', '--kubeconfig', kubeconfig, '--data', dir]));
    assert.match(token.stdout, /fedgate join --gateway .* --token [a-z0-9]{6}\.[a-z0-9]{16}/);
    failedWith(await run(['explain', 'deployment/ghost', '-n', 'default', '--kubeconfig', kubeconfig]), /deployments\.apps "ghost" not found/);
    failedWith(await run(['dns', 'explain', 'ghost.default'], { KUBECONFIG: kubeconfig }), /services "ghost" not found/);
    failedWith(await run(['unjoin', 'ghost', '--gateway', gateway.url]), /clusters\.cluster\.fedgate\.io "ghost" not found/);
  });

  it('fails clearly on an unknown context, a broken kubeconfig and an unreachable gateway', async () => {
    failedWith(await run(['get', 'ns', '--kubeconfig', kubeconfig, '--context', 'nope']), /context "nope" not found/);
    const broken = join(dir, 'broken.kubeconfig');
    writeFileSync(broken, 'kind: [\n');
    failedWith(await run(['get', 'ns'], { KUBECONFIG: broken }), /kubeconfig .*broken\.kubeconfig is not valid YAML/);
    failedWith(await run(['get', 'ns', '--gateway', DEAD_GATEWAY]), /^fedgate: cannot reach the gateway at http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED/m);
    failedWith(await run(['get', 'ns', '--gateway', 'not a url']), /"not a url" is not a URL/);
  });

  it("fedgate version prints the client's version and the gateway's", async () => {
    const human = succeeded(await run(['version', '--gateway', gateway.url]));
    assert.match(human.stdout, /^Client Version: v\d+\.\d+\.\d+$/m);
    assert.match(human.stdout, /^Server Version: v1\.\d+\.\d+\+fedgate-/m);
    const json = JSON.parse(succeeded(await run(['version', '-o', 'json', '--kubeconfig', kubeconfig])).stdout);
    assert.match(json.clientVersion.gitVersion, /^v\d/);
    assert.equal(json.serverVersion.major, '1');
    const client = succeeded(await run(['version', '--client', '--gateway', DEAD_GATEWAY]));
    assert.doesNotMatch(client.stdout, /Server Version/);
    const dead = await run(['version', '--gateway', DEAD_GATEWAY]);
    assert.match(dead.stdout, /^Client Version: /m, 'the client version is printed before the error');
    failedWith(dead, /cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });
});
