import assert from 'node:assert/strict';
import { isBadRequest } from '../../../../apimachinery/index.js';
import { divideReplicas, type WeightedCluster } from '../../../../replicator/placement/index.js';
import { seededRandom } from '../../../../controller/index.js';


function int(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function shuffled<T>(rand: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rand, 0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function sum(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function asObject(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(m);
}

interface Case {
  total: number;
  weights: WeightedCluster[];
  min?: number;
  max?: number;
}

function randomCase(rand: () => number): Case {
  const n = int(rand, 1, 8);
  const weights: WeightedCluster[] = [];
  for (let i = 0; i < n; i++) {
    // Small integer weights make exact ties frequent; some zeros and fractional weights too.
    const kind = rand();
    const weight = kind < 0.15 ? 0 : kind < 0.3 ? Math.round(rand() * 1000) / 100 : int(rand, 1, 5);
    const entry: WeightedCluster = { name: `c${int(rand, 0, 99).toString().padStart(2, '0')}-${i}`, weight };
    if (rand() < 0.15) entry.max = int(rand, 0, 6);
    weights.push(entry);
  }
  const c: Case = { total: int(rand, 0, 60), weights };
  if (rand() < 0.3) c.min = int(rand, 0, 4);
  if (rand() < 0.3) c.max = int(rand, 0, 15);
  return c;
}

/** Upper bound of each cluster under the case's options, as the contract describes it. */
function capOf(c: Case, w: WeightedCluster): number {
  const allZero = c.weights.every((x) => !(x.weight > 0));
  if (!allZero && !(w.weight > 0)) return 0;
  return Math.min(w.max ?? Infinity, c.max ?? Infinity);
}

describe('replicator/placement/divide', () => {
  it('divides 8 replicas 4/2/2 for weights eu:2, us:1, ap:1', () => {
    const d = divideReplicas(8, [
      { name: 'eu', weight: 2 },
      { name: 'us', weight: 1 },
      { name: 'ap', weight: 1 },
    ]);
    assert.deepEqual(asObject(d), { ap: 2, eu: 4, us: 2 });
    assert.equal(d.unassigned, 0);
  });

  it('follows Sainte-Laguë, not D’Hondt, on a known example', () => {
    // Votes 53/24/23 for 7 seats: Sainte-Laguë gives 3/2/2 (D'Hondt would give 4/2/1).
    const d = divideReplicas(7, [
      { name: 'a', weight: 53 },
      { name: 'b', weight: 24 },
      { name: 'c', weight: 23 },
    ]);
    assert.deepEqual(asObject(d), { a: 3, b: 2, c: 2 });
  });

  it('splits equally when every weight is zero', () => {
    const d = divideReplicas(6, [
      { name: 'a', weight: 0 },
      { name: 'b', weight: 0 },
      { name: 'c', weight: 0 },
    ]);
    assert.deepEqual(asObject(d), { a: 2, b: 2, c: 2 });
  });

  it('gives nothing to a zero-weight cluster when others have weight', () => {
    const d = divideReplicas(5, [
      { name: 'a', weight: 0 },
      { name: 'b', weight: 1 },
    ]);
    assert.deepEqual(asObject(d), { a: 0, b: 5 });
  });

  it('breaks ties by weight then name', () => {
    assert.deepEqual(asObject(divideReplicas(1, [{ name: 'b', weight: 1 }, { name: 'a', weight: 1 }])), { a: 1, b: 0 });
    // 3/(2·1+1) = 1 ties with 1/1: the heavier cluster wins.
    assert.deepEqual(asObject(divideReplicas(2, [{ name: 'a', weight: 1 }, { name: 'z', weight: 3 }])), { a: 0, z: 2 });
  });

  it('fills clusters to the minimum first', () => {
    const weights = [
      { name: 'a', weight: 10 },
      { name: 'b', weight: 1 },
      { name: 'c', weight: 1 },
    ];
    assert.deepEqual(asObject(divideReplicas(6, weights, { min: 2 })), { a: 2, b: 2, c: 2 });
    assert.deepEqual(asObject(divideReplicas(7, weights, { min: 2 })), { a: 3, b: 2, c: 2 });
    // Not enough for everyone: as many clusters as possible reach the minimum.
    assert.deepEqual(asObject(divideReplicas(5, weights, { min: 2 })), { a: 2, b: 2, c: 1 });
  });

  it('caps at the maximum and reports what does not fit', () => {
    const d = divideReplicas(10, [{ name: 'a', weight: 5 }, { name: 'b', weight: 1, max: 1 }], { max: 4 });
    assert.deepEqual(asObject(d), { a: 4, b: 1 });
    assert.equal(d.unassigned, 5);
  });

  it('refuses invalid counts and duplicate names', () => {
    assert.throws(() => divideReplicas(-1, [{ name: 'a', weight: 1 }]), isBadRequest);
    assert.throws(() => divideReplicas(1.5, [{ name: 'a', weight: 1 }]), isBadRequest);
    assert.throws(() => divideReplicas(1, [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }]), isBadRequest);
    assert.throws(() => divideReplicas(1, [{ name: 'a', weight: 1 }], { min: -2 }), isBadRequest);
  });

  it('is exact, deterministic, monotone and within bounds for 2,500 random inputs', () => {
    const rand = seededRandom(20240601);
    for (let i = 0; i < 2500; i++) {
      const c = randomCase(rand);
      const opts = { min: c.min, max: c.max };
      const d = divideReplicas(c.total, c.weights, opts);
      const label = JSON.stringify(c);

      // Every input cluster is listed, in name order.
      assert.deepEqual([...d.keys()], c.weights.map((w) => w.name).sort(), label);

      // Exact, or every cluster at its bound.
      const capacity = c.weights.reduce((s, w) => s + capOf(c, w), 0);
      assert.equal(sum(d) + d.unassigned, c.total, label);
      assert.equal(sum(d), Math.min(c.total, capacity), label);

      // Bounds.
      for (const w of c.weights) {
        const got = d.get(w.name)!;
        assert.ok(got >= 0 && got <= capOf(c, w), `${label}: ${w.name} got ${got}`);
      }
      const minEff = (w: WeightedCluster): number => Math.min(c.min ?? 0, capOf(c, w));
      const needForMin = c.weights.reduce((s, w) => s + minEff(w), 0);
      if (c.total >= needForMin) {
        for (const w of c.weights) assert.ok(d.get(w.name)! >= minEff(w), `${label}: ${w.name} below min`);
      } else {
        const short = c.weights.filter((w) => d.get(w.name)! < minEff(w) && d.get(w.name)! > 0);
        assert.ok(short.length <= 1, `${label}: more than one cluster started and short of the minimum`);
      }

      // Deterministic: input order does not matter.
      const again = divideReplicas(c.total, shuffled(rand, c.weights), opts);
      assert.deepEqual(asObject(again), asObject(d), label);
      assert.deepEqual([...again.keys()], [...d.keys()], label);

      // Monotone: one more replica takes nothing from anyone.
      const more = divideReplicas(c.total + 1, c.weights, opts);
      for (const w of c.weights) assert.ok(more.get(w.name)! >= d.get(w.name)!, `${label}: ${w.name} lost a replica at total+1`);
      assert.equal(sum(more), Math.min(c.total + 1, capacity), label);
    }
  });

  it('stays close to the proportional share without bounds', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const weights = Array.from({ length: int(rand, 1, 6) }, (_, k) => ({ name: `c${k}`, weight: int(rand, 1, 9) }));
      const total = int(rand, 0, 200);
      const d = divideReplicas(total, weights);
      const w = weights.reduce((s, x) => s + x.weight, 0);
      // Highest-averages methods may leave the quota by a small amount; never by much with few clusters.
      for (const x of weights) assert.ok(Math.abs(d.get(x.name)! - (total * x.weight) / w) < weights.length, JSON.stringify({ total, weights }));
    }
  });
});
