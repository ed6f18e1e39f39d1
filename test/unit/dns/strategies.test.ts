import assert from 'node:assert/strict';
import { GeoTable } from '../../../dns/geo-table.js';
import { seededRandom } from '../../../controller/index.js';
import {
  clientRegion,
  effectiveWeights,
  failoverRank,
  prepareSet,
  strategies,
  strategyFor,
  weightedShuffle,
  type Member,
  type PickContext,
} from '../../../dns/strategies.js';

function member(cluster: string, weight: number, region?: string, rank = 0): Member {
  return region === undefined ? { cluster, weight, rank } : { cluster, weight, rank, region };
}

function shares(picks: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of picks) out.set(p, (out.get(p) ?? 0) + 1);
  for (const [k, v] of out) out.set(k, (v / picks.length) * 100);
  return out;
}

function ctx(random = seededRandom(42), extra: Partial<PickContext> = {}): PickContext {
  return { random, turn: 0, count: 1, ...extra };
}

describe('dns strategies', () => {
  it('weighted: 10,000 picks over 3:1:1 land within 2 points of 60/20/20', () => {
    const set = prepareSet([member('a', 3), member('b', 1), member('c', 1)]);
    const c = ctx(seededRandom(7));
    const picks: string[] = [];
    for (let i = 0; i < 10_000; i++) picks.push(strategies.weighted.pick(set, c)[0]!.cluster);
    const s = shares(picks);
    assert.ok(Math.abs(s.get('a')! - 60) <= 2, `a ${s.get('a')}`);
    assert.ok(Math.abs(s.get('b')! - 20) <= 2, `b ${s.get('b')}`);
    assert.ok(Math.abs(s.get('c')! - 20) <= 2, `c ${s.get('c')}`);
  });

  it('weight 0 is a standby: never picked next to a positive weight, picked when it is all that serves', () => {
    const set = prepareSet([member('a', 2), member('standby', 0)]);
    const c = ctx();
    for (let i = 0; i < 2_000; i++) assert.equal(strategies.weighted.pick(set, c)[0]!.cluster, 'a');
    // The caller serves healthy members only: with `a` unhealthy, the standby alone remains.
    const alone = prepareSet([member('standby', 0)]);
    assert.equal(strategies.weighted.pick(alone, c)[0]!.cluster, 'standby');
  });

  it('all-zero weights split equally', () => {
    assert.deepEqual(effectiveWeights([0, 0, 0]), [1, 1, 1]);
    assert.deepEqual(effectiveWeights([0, -1, Number.NaN, 2]), [0, 0, 0, 2]);
    const set = prepareSet([member('a', 0), member('b', 0)]);
    const c = ctx(seededRandom(3));
    const picks: string[] = [];
    for (let i = 0; i < 10_000; i++) picks.push(strategies.weighted.pick(set, c)[0]!.cluster);
    assert.ok(Math.abs(shares(picks).get('a')! - 50) <= 2);
  });

  it('weighted shuffle (Efraimidis–Spirakis) orders by weight, without replacement, leaving out zeros', () => {
    const set = prepareSet([member('a', 8), member('b', 1), member('c', 1), member('z', 0)]);
    const random = seededRandom(11);
    let aFirst = 0;
    for (let i = 0; i < 5_000; i++) {
      const order = weightedShuffle(set, random, 4).map((m) => m.cluster);
      assert.equal(new Set(order).size, order.length);
      assert.ok(!order.includes('z'));
      assert.equal(order.length, 3);
      if (order[0] === 'a') aFirst++;
    }
    assert.ok(Math.abs((aFirst / 5_000) * 100 - 80) <= 2, `a first ${aFirst}`);
    const two = strategies.weighted.pick(set, ctx(random, { count: 2 }));
    assert.equal(two.length, 2);
  });

  it('roundRobin rotates through the serving clusters', () => {
    const set = prepareSet([member('c', 1), member('a', 1), member('b', 1)]);
    const seen = [0, 1, 2, 3].map((turn) => strategies.roundRobin.pick(set, ctx(undefined, { turn }))[0]!.cluster);
    assert.deepEqual(seen, ['a', 'b', 'c', 'a']);
    assert.deepEqual(strategies.roundRobin.pick(set, ctx(undefined, { turn: 1, count: 3 })).map((m) => m.cluster), ['b', 'c', 'a']);
  });

  it('failover: primaryClusters by name or region, next tier only when the ones before are gone', () => {
    const primary = ['eu-1', 'us'];
    assert.equal(failoverRank('eu-1', 'eu', primary), 0);
    assert.equal(failoverRank('us-2', 'us', primary), 1);
    assert.equal(failoverRank('ap-1', 'ap', primary), 2);
    const all = [member('eu-1', 1, 'eu', 0), member('us-1', 1, 'us', 1), member('us-2', 1, 'us', 1), member('ap-1', 1, 'ap', 2)];
    const pick = (ms: Member[]): string[] => strategies.failover.pick(prepareSet(ms), ctx()).map((m) => m.cluster);
    assert.deepEqual(pick(all), ['eu-1']);
    assert.deepEqual(pick(all.slice(1)), ['us-1', 'us-2']);
    assert.deepEqual(pick(all.slice(3)), ['ap-1']);
    assert.equal(strategies.failover.varies(prepareSet(all), 1, false), false);
  });

  it('geo: the client region from ECS first, then the source address; falls back to weighted', () => {
    const table = new GeoTable([
      { cidr: '198.51.100.0/24', region: 'eu' },
      { cidr: '203.0.113.0/24', region: 'us' },
      { cidr: '2001:db8:e::/48', region: 'eu' },
    ]);
    const set = prepareSet([member('eu-1', 1, 'eu'), member('us-1', 1, 'us'), member('us-2', 3, 'us')]);
    const c = (client: PickContext['client']): PickContext => ctx(seededRandom(5), { client, geo: table });
    assert.equal(clientRegion({ address: '203.0.113.9', subnet: '198.51.100.0/24' }, table), 'eu');
    for (let i = 0; i < 200; i++) {
      assert.equal(strategies.geo.pick(set, c({ address: '203.0.113.9', subnet: '198.51.100.0/24' }))[0]!.cluster, 'eu-1');
      assert.match(strategies.geo.pick(set, c({ address: '203.0.113.9' }))[0]!.cluster, /^us-/);
      assert.equal(strategies.geo.pick(set, c({ address: '2001:db8:e::1' }))[0]!.cluster, 'eu-1');
    }
    // No region known for the client: weighted over everything (3:1:1 here, so us-2 leads).
    const random = seededRandom(9);
    const picks: string[] = [];
    for (let i = 0; i < 5_000; i++) picks.push(strategies.geo.pick(set, { ...c({ address: '192.0.2.1' }), random })[0]!.cluster);
    assert.ok(Math.abs(shares(picks).get('us-2')! - 60) <= 3);
    // A region with no serving cluster falls back too.
    const usOnly = prepareSet([member('us-1', 1, 'us')]);
    assert.equal(strategies.geo.pick(usOnly, c({ address: '198.51.100.4' }))[0]!.cluster, 'us-1');
  });

  it('strategyFor defaults to weighted for absent or unknown names', () => {
    assert.equal(strategyFor(undefined).name, 'weighted');
    assert.equal(strategyFor('bogus').name, 'weighted');
    assert.equal(strategyFor('toString').name, 'weighted');
    assert.equal(strategyFor('failover').name, 'failover');
  });

  it('an empty set picks nothing', () => {
    const empty = prepareSet<Member>([]);
    for (const s of Object.values(strategies)) assert.deepEqual([...s.pick(empty, ctx())], []);
  });
});
