import assert from 'node:assert/strict';
import type { Cluster, TrafficPolicy } from '../../../apimachinery/index.js';
import { answerQuestion, type AnswerContext, type ZoneSnapshot } from '../../../dns/answer.js';
import type { ResourceRecord, ZoneAnswer } from '../../../dns/answer-types.js';
import { seededRandom } from '../../../controller/index.js';
import { buildZone, DEFAULT_SOA_TIMERS, type ServiceObject, type ZoneInput } from '../../../dns/zone-records.js';

const ZONE = 'global.fedgate.internal';
const NOW = Date.parse('2030-01-01T00:00:10.000Z');
const client = { address: '127.0.0.1' };

function cluster(name: string, region: string, endpoints: string[], opts: { ready?: boolean; readyEndpoints?: number } = {}): Cluster {
  return {
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name },
    spec: { region, endpoints },
    status: {
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      lastHeartbeatTime: new Date(NOW - 500).toISOString(),
      services: [{ namespace: 'shop', name: 'web', readyEndpoints: opts.readyEndpoints ?? 1, totalEndpoints: 1 }],
    },
  };
}

function service(clusters: string[]): ServiceObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'shop', name: 'web' },
    spec: { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 9 }] },
    status: { clusters: clusters.map((c) => ({ cluster: c, applied: true })) as never },
  };
}

function policy(spec: TrafficPolicy['spec']): TrafficPolicy {
  return { apiVersion: 'networking.fedgate.io/v1alpha1', kind: 'TrafficPolicy', metadata: { namespace: 'shop', name: 'web', creationTimestamp: '2030-01-01T00:00:00Z' }, spec };
}

function zone(over: Partial<ZoneInput> = {}): ZoneSnapshot {
  return buildZone({
    zones: [ZONE],
    nameserverAddresses: ['127.0.0.53'],
    serial: 7,
    clusters: [cluster('eu-1', 'eu', ['192.0.2.1', '2001:db8::1']), cluster('eu-2', 'eu', ['192.0.2.2']), cluster('us-1', 'us', ['198.51.100.1'], { ready: false })],
    services: [service(['eu-1', 'eu-2', 'us-1'])],
    policies: [],
    now: NOW,
    freshnessMs: 3_000,
    lastHealthy: new Map(),
    ...over,
  }).snapshot;
}

const ctx: AnswerContext = { random: seededRandom(1) };
const ask = (z: ZoneSnapshot, name: string, type: string): ZoneAnswer => answerQuestion(z, { name, type }, client, ctx);
const addresses = (records: ResourceRecord[]): string[] => records.map((r) => (r as { address: string }).address).sort();

function assertNegative(a: ZoneAnswer, rcode: 'NOERROR' | 'NXDOMAIN'): void {
  assert.equal(a.rcode, rcode);
  assert.equal(a.authoritative, true);
  assert.deepEqual(a.answers, []);
  assert.equal(a.authority.length, 1);
  const soa = a.authority[0]!;
  assert.equal(soa.type, 'SOA');
  assert.equal(soa.name, ZONE);
  assert.equal(soa.ttl, Math.min(DEFAULT_SOA_TIMERS.ttl, DEFAULT_SOA_TIMERS.minimum));
}

describe('dns answers', () => {
  it('A: the healthy clusters only (NotReady us-1 is out), one per query by weight', () => {
    const z = zone();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const a = ask(z, `web.shop.svc.${ZONE}`, 'A');
      assert.equal(a.rcode, 'NOERROR');
      assert.equal(a.authoritative, true);
      assert.equal(a.answers.length, 1);
      assert.equal(a.perQuery, true);
      assert.equal(a.answers[0]!.ttl, 5);
      seen.add((a.answers[0] as { address: string }).address);
    }
    assert.deepEqual([...seen].sort(), ['192.0.2.1', '192.0.2.2']);
  });

  it('AAAA from the clusters with IPv6 addresses; static when only one', () => {
    const a = ask(zone(), `web.shop.svc.${ZONE}`, 'AAAA');
    assert.deepEqual(a.answers, [{ name: `web.shop.svc.${ZONE}`, type: 'AAAA', ttl: 5, address: '2001:db8::1' }]);
    assert.equal(a.perQuery, false);
  });

  it('SRV: one per serving cluster, weight and port, the cluster host in additional; unnamed ports have none', () => {
    const z = zone({ policies: [policy({ serviceRef: { name: 'web' }, weights: { 'eu-1': 3, 'eu-2': 1 }, ttl: 20 })] });
    const a = ask(z, `_http._tcp.web.shop.svc.${ZONE}`, 'SRV');
    assert.equal(a.rcode, 'NOERROR');
    assert.deepEqual(
      a.answers.map((r) => ({ ...r })),
      [
        { name: `_http._tcp.web.shop.svc.${ZONE}`, type: 'SRV', ttl: 20, priority: 0, weight: 3, port: 8080, target: `eu-1.clusters.${ZONE}` },
        { name: `_http._tcp.web.shop.svc.${ZONE}`, type: 'SRV', ttl: 20, priority: 0, weight: 1, port: 8080, target: `eu-2.clusters.${ZONE}` },
      ],
    );
    assert.deepEqual(addresses(a.additional), ['192.0.2.1', '192.0.2.2', '2001:db8::1']);
    assert.equal(a.perQuery, false);
    const host = ask(z, `eu-2.clusters.${ZONE}`, 'A');
    assert.deepEqual(addresses(host.answers), ['192.0.2.2']);
    assertNegative(ask(z, `_udp.web.shop.svc.${ZONE}`, 'SRV'), 'NXDOMAIN');
    assertNegative(ask(z, `_tcp.web.shop.svc.${ZONE}`, 'SRV'), 'NOERROR'); // empty non-terminal
  });

  it('failover SRV priorities follow the rank', () => {
    const z = zone({ policies: [policy({ serviceRef: { name: 'web' }, strategy: 'failover', primaryClusters: ['eu-2', 'eu-1'] })] });
    const a = ask(z, `_http._tcp.web.shop.svc.${ZONE}`, 'SRV');
    assert.deepEqual(a.answers.map((r) => [(r as { target: string }).target, (r as { priority: number }).priority]), [[`eu-2.clusters.${ZONE}`, 0], [`eu-1.clusters.${ZONE}`, 1]]);
    assert.deepEqual(addresses(ask(z, `web.shop.svc.${ZONE}`, 'A').answers), ['192.0.2.2']);
  });

  it('region names: the region\'s healthy clusters; CNAME to the global name when none is healthy', () => {
    const z = zone();
    const eu = ask(z, `web.shop.svc.eu.${ZONE}`, 'A');
    assert.equal(eu.rcode, 'NOERROR');
    assert.match((eu.answers[0] as { address: string }).address, /^192\.0\.2\.[12]$/);
    assert.equal(eu.answers[0]!.name, `web.shop.svc.eu.${ZONE}`);
    const us = ask(z, `web.shop.svc.us.${ZONE}`, 'A');
    assert.equal(us.rcode, 'NOERROR');
    assert.deepEqual(us.answers[0], { name: `web.shop.svc.us.${ZONE}`, type: 'CNAME', ttl: 5, target: `web.shop.svc.${ZONE}` });
    assert.equal(us.answers.length, 2, 'the in-zone CNAME is followed');
    assert.equal(us.answers[1]!.name, `web.shop.svc.${ZONE}`);
    assert.deepEqual(ask(z, `web.shop.svc.us.${ZONE}`, 'CNAME').answers.length, 1);
    assertNegative(ask(z, `web.shop.svc.mars.${ZONE}`, 'A'), 'NXDOMAIN');
  });

  it('NXDOMAIN for names that do not exist, NODATA for existing names without the type, both with the SOA', () => {
    const z = zone();
    assertNegative(ask(z, `nope.shop.svc.${ZONE}`, 'A'), 'NXDOMAIN');
    assertNegative(ask(z, `web.other.svc.${ZONE}`, 'A'), 'NXDOMAIN');
    assertNegative(ask(z, `web.shop.svc.${ZONE}`, 'MX'), 'NOERROR');
    assertNegative(ask(z, `web.shop.svc.${ZONE}`, 'TXT'), 'NOERROR');
    assertNegative(ask(z, `shop.svc.${ZONE}`, 'A'), 'NOERROR');
    assertNegative(ask(z, `svc.${ZONE}`, 'A'), 'NOERROR');
    assertNegative(ask(z, ZONE, 'A'), 'NOERROR');
  });

  it('a placed Service with no serving cluster and whenAllUnhealthy: empty is NODATA', () => {
    const z = zone({
      clusters: [cluster('us-1', 'us', ['198.51.100.1'], { ready: false })],
      services: [service(['us-1'])],
      policies: [policy({ serviceRef: { name: 'web' }, whenAllUnhealthy: 'empty' })],
    });
    assertNegative(ask(z, `web.shop.svc.${ZONE}`, 'A'), 'NOERROR');
    // Fail open (the default) answers with the placed cluster instead.
    const open = zone({ clusters: [cluster('us-1', 'us', ['198.51.100.1'], { ready: false })], services: [service(['us-1'])] });
    assert.deepEqual(addresses(ask(open, `web.shop.svc.${ZONE}`, 'A').answers), ['198.51.100.1']);
  });

  it('apex SOA and NS (with the name server address), serial as given', () => {
    const z = zone();
    const soa = ask(z, ZONE, 'SOA');
    assert.equal(soa.answers.length, 1);
    assert.equal((soa.answers[0] as { serial: number }).serial, 7);
    assert.equal((soa.answers[0] as { primary: string }).primary, `ns1.${ZONE}`);
    assert.equal(soa.answers[0]!.ttl, DEFAULT_SOA_TIMERS.ttl);
    const ns = ask(z, ZONE, 'NS');
    assert.deepEqual(ns.answers.map((r) => (r as { target: string }).target), [`ns1.${ZONE}`]);
    assert.deepEqual(addresses(ns.additional), ['127.0.0.53']);
    assert.deepEqual(addresses(ask(z, `ns1.${ZONE}`, 'A').answers), ['127.0.0.53']);
  });

  it('REFUSED (not authoritative) outside the zone; extra zones serve the same names', () => {
    const z = zone({ zones: [ZONE, 'apps.example.internal'] });
    const out = ask(z, 'example.com', 'A');
    assert.equal(out.rcode, 'REFUSED');
    assert.equal(out.authoritative, false);
    assert.equal(ask(z, `x${ZONE}`, 'A').rcode, 'REFUSED', 'a suffix match must be at a label boundary');
    assert.equal(ask(z, 'web.shop.svc.apps.example.internal', 'AAAA').answers[0]!.name, 'web.shop.svc.apps.example.internal');
  });
});
