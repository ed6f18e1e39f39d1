import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceRegistry, validateObject, type Cluster } from '../../../apimachinery/index.js';
import { certificateFingerprint, CLIENT_CERTIFICATE_ANNOTATION, GatewayPki, PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION } from '../../../replicator/index.js';
import { readySince, runningPhase, startupPhase } from '../../../cli/commands/up-clusters.js';
import { demoInstructions, demoService, loadDemoManifests, objectPaths, parseManifests } from '../../../cli/commands/up-demo.js';
import { staleIdentityReason } from '../../../cli/commands/up-federation.js';
import { lastErrorInText } from '../../../cli/commands/up-member-process.js';
import { memberPlan, MEMBER_SLOTS, parseMemberCount, parseMemberOctet, resolveUpOptions, type UpFlags } from '../../../cli/commands/up-options.js';
import { formatProgressLine, formatSeconds, ProgressDisplay } from '../../../cli/commands/up-progress.js';
import { InterruptLatch } from '../../../cli/commands/up-signals.js';
import { formatSummary } from '../../../cli/commands/up-summary.js';
import { addMemberContexts, mergeKubeconfigs } from '../../../cli/commands/up-kubeconfig.js';
import { kubeconfigFor, readKubeconfig, targetOf, writeKubeconfig } from '../../../cli/kubeconfig.js';

const flags = (over: Partial<UpFlags> = {}): UpFlags => ({
  members: 3,
  runtime: 'process',
  data: './data',
  listen: '127.0.0.1:6443',
  joinListen: '127.0.0.1:7443',
  memberListen: '127.0.0.1:7444',
  dnsListen: '127.0.0.1:5353',
  ...over,
});

const SINCE = Date.parse('2030-01-01T00:00:10.500Z');

function cluster(status: Cluster['status'], created = '2030-01-01T00:00:10Z'): Cluster {
  return { apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: 'eu-west', creationTimestamp: created }, spec: {}, status };
}
const ready = (at: string, status: 'True' | 'False' = 'True'): Cluster['status'] => ({ conditions: [{ type: 'Ready', status, lastTransitionTime: at }] });

describe('fedgate up: options', () => {
  it('takes the first N member slots, each with its own loopback range, API address and data directory', () => {
    const o = resolveUpOptions(flags({ members: 3, data: 'd' }), '/srv');
    assert.equal(o.dataDir, '/srv/d');
    assert.equal(o.kubeconfigFile, '/srv/d/fedgate.kubeconfig');
    assert.deepEqual(
      o.members.map((m) => [m.name, m.region, m.podCidr, m.apiListen, m.dataDir, m.logFile]),
      [
        ['eu-west', 'eu-west', '127.10.0.0/16', '127.10.0.1:10443', '/srv/d/members/eu-west', '/srv/d/logs/member-eu-west.log'],
        ['us-east', 'us-east', '127.11.0.0/16', '127.11.0.1:10443', '/srv/d/members/us-east', '/srv/d/logs/member-us-east.log'],
        ['ap-south', 'ap-south', '127.12.0.0/16', '127.12.0.1:10443', '/srv/d/members/ap-south', '/srv/d/logs/member-ap-south.log'],
      ],
    );
    assert.equal(resolveUpOptions(flags({ members: 0 })).members.length, 0);
    assert.equal(resolveUpOptions(flags({ members: MEMBER_SLOTS.length })).members.at(-1)?.podCidr, `127.${10 + MEMBER_SLOTS.length - 1}.0.0/16`);
    assert.deepEqual(resolveUpOptions(flags({ members: 2, memberOctet: 140 })).members.map((m) => m.apiListen), ['127.140.0.1:10443', '127.141.0.1:10443']);
    assert.equal(resolveUpOptions(flags()).logLevel, undefined, 'logs go to files unless --log-level is given');
    assert.equal(resolveUpOptions(flags({ logLevel: 'debug' })).logLevel, 'debug');
  });

  it('refuses a member count outside 0..slots, bad addresses and a bad runtime', () => {
    assert.equal(parseMemberCount('2'), 2);
    for (const bad of ['-1', '1.5', 'three', '', String(MEMBER_SLOTS.length + 1)]) {
      assert.throws(() => parseMemberCount(bad), /expected a whole number from 0 to 8/, bad);
    }
    assert.throws(() => resolveUpOptions(flags({ members: 'x' })), /expected a whole number/);
    assert.throws(() => resolveUpOptions(flags({ dnsListen: '5353' })), /--dns-listen: "5353" is not HOST:PORT/);
    assert.throws(() => resolveUpOptions(flags({ runtime: 'docker' as never })), /--runtime: "docker" is not process or simulated/);
    assert.throws(() => memberPlan(MEMBER_SLOTS.length, '/d', '/d/logs'), RangeError);
    assert.equal(parseMemberOctet('248'), 248);
    for (const bad of ['0', '249', '1e2', 'x']) assert.throws(() => parseMemberOctet(bad), /expected a whole number from 1 to 248/, bad);
    assert.throws(() => resolveUpOptions(flags({ memberOctet: 250 })), /--member-octet: expected a whole number from 1 to 248/);
  });
});

describe('fedgate up: member phases from the Cluster', () => {
  it('counts only a Ready transition of this run', () => {
    assert.equal(readySince(cluster(ready('2030-01-01T00:00:11.000Z')), SINCE), true);
    assert.equal(readySince(cluster(ready('2030-01-01T00:00:09.000Z')), SINCE), false, 'Ready left over from an earlier run');
    assert.equal(readySince(cluster(ready('2030-01-01T00:00:11.000Z', 'False')), SINCE), false);
    assert.equal(readySince(undefined, SINCE), false);
  });

  it('moves starting → joined → connected → Ready, and Ready ↔ NotReady once up', () => {
    assert.equal(startupPhase(undefined, SINCE), 'starting');
    assert.equal(startupPhase(cluster({}, '2030-01-01T00:00:09Z'), SINCE), 'starting', 'joined in an earlier run, not heard from yet');
    assert.equal(startupPhase(cluster({}, '2030-01-01T00:00:10Z'), SINCE), 'joined', 'creation has whole seconds');
    assert.equal(startupPhase(cluster({ lastHeartbeatTime: '2030-01-01T00:00:11.000Z', ...ready('2029-12-31T00:00:00Z') }, '2029-12-31T00:00:00Z'), SINCE), 'connected');
    assert.equal(startupPhase(cluster(ready('2030-01-01T00:00:12.000Z')), SINCE), 'Ready');
    assert.equal(runningPhase(cluster(ready('2030-01-01T00:00:12.000Z')), SINCE), 'Ready');
    assert.equal(runningPhase(cluster(ready('2030-01-01T00:00:13.000Z', 'False')), SINCE), 'NotReady');
  });
});

describe('fedgate up: identities kept across runs', () => {
  let dir: string;
  let pki: GatewayPki;
  let other: GatewayPki;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-up-unit-'));
    pki = await GatewayPki.loadOrCreate(join(dir, 'a'), { hosts: ['127.0.0.1'] });
    other = await GatewayPki.loadOrCreate(join(dir, 'b'), { hosts: ['127.0.0.1'] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses credentials only when the gateway has the same CA and a Cluster with that certificate', () => {
    const certPem = pki.serverCertPem;
    const credentials = { caPem: pki.caPem, certPem };
    const known = cluster({});
    known.metadata.annotations = { [CLIENT_CERTIFICATE_ANNOTATION]: certificateFingerprint(certPem) };
    assert.equal(staleIdentityReason(credentials, pki.caHash, known), undefined);
    assert.match(staleIdentityReason(credentials, other.caHash, known) ?? '', /another CA/);
    assert.match(staleIdentityReason(credentials, pki.caHash, undefined) ?? '', /no Cluster/);
    known.metadata.annotations = { [CLIENT_CERTIFICATE_ANNOTATION]: certificateFingerprint(other.serverCertPem) };
    assert.match(staleIdentityReason(credentials, pki.caHash, known) ?? '', /no longer accepts its certificate/);
    known.metadata.annotations = {
      [CLIENT_CERTIFICATE_ANNOTATION]: certificateFingerprint(other.serverCertPem),
      [PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION]: certificateFingerprint(certPem),
    };
    assert.equal(staleIdentityReason(credentials, pki.caHash, known), undefined, 'the previous certificate of a rotation still counts');
    assert.match(staleIdentityReason(credentials, pki.caHash, known, new Date('2200-01-01T00:00:00Z')) ?? '', /expired/);
  });
});

describe('fedgate up: output', () => {
  it('formats progress lines for a terminal and for plain output', () => {
    const row = { name: 'eu-west', region: 'eu-west', phase: 'connected' as const, atMs: 2100 };
    assert.equal(formatProgressLine(row, 5000, false), '  eu-west     eu-west     connected  2.1s');
    assert.equal(formatProgressLine(row, 5000, true, 0), '  ⠋ eu-west     eu-west     connected  5.0s');
    assert.equal(formatProgressLine({ ...row, phase: 'Ready' }, 9000, true), '  ✓ eu-west     eu-west     Ready      2.1s');
    assert.equal(formatProgressLine({ ...row, phase: 'exited', detail: 'exit code 1' }, 9000, true), '  ✗ eu-west     eu-west     exited     2.1s  exit code 1');
    assert.equal(formatSeconds(6249), '6.2s');
  });

  it('writes one plain line per change without a terminal, and redraws in place on one', () => {
    let now = 0;
    const plain: string[] = [];
    const p = new ProgressDisplay({ write: (t: string) => plain.push(t) }, [{ name: 'a', region: 'r' }, { name: 'b', region: 'r' }], () => now);
    p.start();
    now = 1500;
    p.set('a', 'Ready');
    p.set('a', 'Ready');
    p.stop();
    assert.deepEqual(plain.map((l) => l.replace(/\s+/g, ' ').trim()), ['a r starting 0.0s', 'b r starting 0.0s', 'a r Ready 1.5s']);

    const tty: string[] = [];
    const t = new ProgressDisplay({ write: (s: string) => tty.push(s), isTTY: true }, [{ name: 'a', region: 'r' }, { name: 'b', region: 'r' }], () => now);
    t.start();
    t.set('b', 'joined');
    t.stop();
    assert.equal(tty[0]!.startsWith('\x1b[2K'), true, 'the first draw does not move up');
    assert.equal(tty[1]!.startsWith('\x1b[2A\x1b[2K'), true, 'a redraw moves up over its two lines');
    assert.match(tty.at(-1)!, /b\s+r\s+joined/);
  });

  it('prints the addresses, one row per member, the kubeconfig export and the time', () => {
    const text = formatSummary({
      apiUrl: 'http://127.0.0.1:6443',
      dnsAddress: '127.0.0.1:5353',
      dnsZone: 'global.fedgate.internal',
      members: [
        { name: 'eu-west', region: 'eu-west', api: 'http://127.10.0.1:10443', pods: '127.10.0.0/16', state: 'Ready' },
        { name: 'us-east', region: 'us-east', api: 'http://127.11.0.1:10443', pods: '127.11.0.0/16', state: 'NotReady' },
      ],
      elapsedMs: 6240,
      kubeconfigFile: '/d/fedgate.kubeconfig',
      logsDir: '/d/logs',
    });
    assert.match(text, /^fedgate is up: 1 of 2 members Ready after 6\.2s$/m);
    assert.match(text, /^ {2}API {2}http:\/\/127\.0\.0\.1:6443$/m);
    assert.match(text, /^ {2}DNS {2}127\.0\.0\.1:5353 {2}zone global\.fedgate\.internal$/m);
    assert.match(text, /^ {2}MEMBER {3}REGION {3}API {22}PODS {11}STATE$/m);
    assert.match(text, /^ {2}us-east {2}us-east {2}http:\/\/127\.11\.0\.1:10443 {2}127\.11\.0\.0\/16 {2}NotReady$/m);
    assert.match(text, /^export KUBECONFIG=\/d\/fedgate\.kubeconfig$/m);
    assert.match(formatSummary({ apiUrl: 'u', members: [], elapsedMs: 1000, kubeconfigFile: 'k' }), /no members\), ready in 1\.0s[\s\S]*DNS {2}off/);
    assert.doesNotMatch(text, /member APIs/, 'no member context, no hint');
    const withContexts = formatSummary({ apiUrl: 'u', members: [], elapsedMs: 1000, kubeconfigFile: 'k', memberContexts: ['eu-west', 'us-east'] });
    assert.match(withContexts, /^export KUBECONFIG=k\nmember APIs: kubectl --context eu-west get pods {2}\(contexts: eu-west, us-east\)$/m);
  });
});

describe('fedgate up: kubeconfig', () => {
  const gateway = kubeconfigFor({ server: 'https://127.0.0.1:6443', caPem: 'GATEWAY CA', token: 'gateway-token' });
  const euWest = kubeconfigFor({ server: 'https://127.10.0.1:10443', caPem: 'EU CA', token: 'eu-token' }, 'eu-west');

  it('adds a context per member and keeps the gateway current', () => {
    const merged = mergeKubeconfigs(gateway, [euWest, kubeconfigFor({ server: 'https://127.11.0.1:10443', token: 'us-token' }, 'us-east')]);
    assert.equal(merged['current-context'], 'fedgate');
    assert.deepEqual(merged.contexts.map((c) => c.name), ['fedgate', 'eu-west', 'us-east']);
    assert.deepEqual(targetOf(merged, 'eu-west'), { server: 'https://127.10.0.1:10443', caPem: 'EU CA', token: 'eu-token' });
    assert.deepEqual(targetOf(merged), { server: 'https://127.0.0.1:6443', caPem: 'GATEWAY CA', token: 'gateway-token' });
  });

  it('replaces entries of the same name instead of adding them twice', () => {
    const rotated = kubeconfigFor({ server: 'https://127.10.0.1:10443', caPem: 'NEW EU CA', token: 'new-eu-token' }, 'eu-west');
    const merged = mergeKubeconfigs(mergeKubeconfigs(gateway, [euWest]), [rotated]);
    assert.deepEqual(merged.clusters.map((c) => c.name), ['fedgate', 'eu-west']);
    assert.deepEqual(merged.users.map((u) => u.name), ['fedgate-admin', 'eu-west-admin']);
    assert.equal(targetOf(merged, 'eu-west').token, 'new-eu-token');
  });

  it('rewrites the file with the members whose kubeconfig exists, and skips the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedgate-up-kubeconfig-'));
    try {
      writeKubeconfig(join(dir, 'fedgate.kubeconfig'), gateway);
      writeKubeconfig(join(dir, 'eu-west.kubeconfig'), euWest);
      const added = addMemberContexts(join(dir, 'fedgate.kubeconfig'), [join(dir, 'eu-west.kubeconfig'), join(dir, 'missing.kubeconfig')]);
      assert.deepEqual(added, ['eu-west']);
      assert.deepEqual(readKubeconfig(join(dir, 'fedgate.kubeconfig')).contexts.map((c) => c.name), ['fedgate', 'eu-west']);
      assert.deepEqual(addMemberContexts(join(dir, 'fedgate.kubeconfig'), [join(dir, 'missing.kubeconfig')]), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fedgate up: signals', () => {
  it('stops on the first signal, ignores the same Ctrl-C forwarded again, kills on a later one', () => {
    const latch = new InterruptLatch(1000);
    assert.equal(latch.next(10_000), 'stop');
    assert.equal(latch.next(10_015), 'duplicate');
    assert.equal(latch.next(10_999), 'duplicate');
    assert.equal(latch.next(11_000), 'kill');
  });
});

describe('fedgate up: why a member exited', () => {
  it('finds the failed command line or the last error log entry', () => {
    const log = [
      JSON.stringify({ level: 30, msg: 'API server listening' }),
      JSON.stringify({ level: 50, msg: 'join failed', err: { message: 'bootstrap token is invalid' } }),
      JSON.stringify({ level: 30, msg: 'stopped' }),
    ].join('\n');
    assert.equal(lastErrorInText(log), 'join failed: bootstrap token is invalid');
    assert.equal(lastErrorInText(`${log}\nfedgate: cannot listen on 127.10.0.1:10443: EADDRINUSE\n`), 'cannot listen on 127.10.0.1:10443: EADDRINUSE');
    assert.equal(lastErrorInText('{"level":30,"msg":"fine"}\nnot json\n'), undefined);
  });
});

describe('fedgate up: the demo manifests', () => {
  const registry = new ResourceRegistry();

  it('examples/demo.yaml holds valid objects the gateway serves, with a LoadBalancer Service', () => {
    const objects = loadDemoManifests();
    assert.deepEqual(objects.map((o) => o.kind), ['Namespace', 'Deployment', 'Service', 'PropagationPolicy', 'TrafficPolicy']);
    for (const o of objects) {
      const r = registry.byKind(o.apiVersion, o.kind);
      assert.ok(r, `${o.kind} is served`);
      assert.deepEqual(validateObject(r, o), [], `${o.kind}/${o.metadata.name} is valid`);
    }
    assert.deepEqual(demoService(objects, 'global.fedgate.internal'), { namespace: 'demo', name: 'web', port: 8080, dnsName: 'web.demo.svc.global.fedgate.internal' });
  });

  it('maps objects to REST paths and refuses what is not an object', () => {
    assert.deepEqual(objectPaths(registry, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }), {
      collection: '/api/v1/namespaces',
      item: '/api/v1/namespaces/demo',
    });
    assert.deepEqual(objectPaths(registry, { apiVersion: 'networking.fedgate.io/v1alpha1', kind: 'TrafficPolicy', metadata: { name: 'web', namespace: 'demo' } }).item, '/apis/networking.fedgate.io/v1alpha1/namespaces/demo/trafficpolicies/web');
    assert.throws(() => objectPaths(registry, { apiVersion: 'x/v1', kind: 'Nope', metadata: { name: 'n' } }), /Nope \(x\/v1\) is not served/);
    assert.throws(() => parseManifests('kind: Service\n', 'f.yaml'), /f\.yaml: document 1 is not a Kubernetes object/);
    assert.throws(() => parseManifests('a: [\n', 'f.yaml'), /f\.yaml: document 1:/);
    assert.equal(parseManifests('---\n---\n', 'f.yaml').length, 0);
  });

  it('prints dig and curl lines that name the DNS server and an address that answered', () => {
    const svc = { namespace: 'demo', name: 'web', port: 8080, dnsName: 'web.demo.svc.z' };
    const lines = demoInstructions(svc, 'web', '127.0.0.1:5353', { addresses: ['127.10.0.1'], servedBy: '127.10.0.1', replicas: [{ cluster: 'eu-west', replicas: 2 }, { cluster: 'us-east', replicas: 1 }], shares: [{ cluster: 'eu-west', share: 67 }, { cluster: 'us-east', share: 33 }] }, true);
    assert.deepEqual(lines, [
      'demo: Deployment demo/web (replicas: eu-west 2, us-east 1) answers at web.demo.svc.z (DNS shares: eu-west 67%, us-east 33%)',
      '  dig @127.0.0.1 -p 5353 web.demo.svc.z',
      '  curl http://127.10.0.1:8080/',
      '  curl http://$(dig +short @127.0.0.1 -p 5353 web.demo.svc.z):8080/',
    ]);
  });
});
