import assert from 'node:assert/strict';
import { seededRandom } from '../../../controller/index.js';
import { answerQuestion, buildZone, exportZoneState, GeoTable, ZoneReplica, ZoneUpdateBuilder, type ZoneSnapshot, type ZoneState } from '../../../dns/index.js';
import { typeName } from '../../../dns/wire.js';
import { GEO_TABLE, VARYING_NAMES, WEIGHTED_NAME, ZONE, zoneObjects, zoneQuestions } from '../../fixtures/dns-zone-objects.js';

const NOW = Date.parse('2030-01-01T00:00:10.000Z');
const SEED = 20301;

function build(now = NOW, serial = 1, mutate?: (o: ReturnType<typeof zoneObjects>) => void): ZoneSnapshot {
  const o = zoneObjects(now);
  mutate?.(o);
  return buildZone({ zones: [ZONE], nameserverAddresses: ['127.0.0.53'], serial, ...o, now, freshnessMs: 3_000, lastHealthy: new Map(), geoTableSize: GEO_TABLE.length }).snapshot;
}

function stateOf(snapshot: ZoneSnapshot, version: number): ZoneState {
  // Through JSON, as it travels to a worker.
  return JSON.parse(JSON.stringify(exportZoneState(snapshot, { zones: [ZONE], maxAnswers: 1, geo: GEO_TABLE }, version, true))) as ZoneState;
}

const clients = [{ address: '127.0.0.1' }, { address: '10.1.2.3' }, { address: '192.0.2.1', subnet: '10.2.0.0/16' }];

describe('dns zone replica', () => {
  it('answers every question exactly as the snapshot it was exported from (same random source)', () => {
    const snapshot = build();
    const replica = ZoneReplica.of(stateOf(snapshot, 1), { random: seededRandom(SEED) });
    // The replica rebuilt its geo table from the state's entries.
    const ctx = { random: seededRandom(SEED), geo: new GeoTable(GEO_TABLE), count: 1 };
    let compared = 0;
    for (const client of clients) {
      for (const [name, qtype] of zoneQuestions()) {
        const rounds = VARYING_NAMES.includes(name) ? 20 : 1;
        for (let i = 0; i < rounds; i++) {
          const question = { name, type: typeName(qtype) };
          assert.deepEqual(replica.answer(question, client), answerQuestion(snapshot, question, client, ctx), `${name} ${typeName(qtype)}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 400);
    assert.equal(replica.version, 1);
    assert.ok(replica.inZone(`anything.${ZONE}`) && !replica.inZone('example.com'));
  });

  it('draws weighted answers by weight (3:1:1)', () => {
    const replica = ZoneReplica.of(stateOf(build(), 1), { random: seededRandom(7) });
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const a = replica.answer({ name: WEIGHTED_NAME, type: 'A' }, clients[0]!).answers[0] as { address: string };
      counts.set(a.address, (counts.get(a.address) ?? 0) + 1);
    }
    assert.ok(Math.abs((counts.get('127.0.20.1') ?? 0) / 5_000 - 0.6) < 0.03, JSON.stringify([...counts]));
    assert.ok(Math.abs((counts.get('127.0.20.2') ?? 0) / 5_000 - 0.2) < 0.03, JSON.stringify([...counts]));
  });

  it('deltas carry only the names that changed, and full + deltas equals the last full state', () => {
    const s1 = stateOf(build(NOW, 1), 1);
    // us-1 goes NotReady: the names it served change, host names and others do not.
    const s2 = stateOf(build(NOW, 2, (o) => (o.clusters[2]!.status!.conditions![0]!.status = 'False')), 2);
    // solo is removed: its names go.
    const s3 = stateOf(build(NOW, 3, (o) => (o.services = o.services.filter((s) => s.metadata.name !== 'solo'))), 3);
    const builder = new ZoneUpdateBuilder();
    const u1 = builder.next(s1);
    assert.equal(u1.kind, 'full');
    const u2 = builder.next(s2);
    assert.equal(u2.kind, 'delta');
    if (u2.kind !== 'delta') return;
    const changed = u2.upserts.map(([name]) => name);
    assert.ok(changed.includes(WEIGHTED_NAME), 'the weighted name lost us-1');
    assert.ok(!changed.includes(`eu-1.clusters.${ZONE}`), 'host names did not change');
    assert.ok(!changed.includes(ZONE), 'the apex node did not change (its SOA travels in apexes)');
    assert.ok(changed.length < s2.names.length / 2, `${changed.length} of ${s2.names.length} names shipped`);
    const gone = s1.names.map(([n]) => n).filter((n) => !s2.names.some(([m]) => m === n));
    assert.ok(gone.length > 0, 'the us regional SRV names go with us-1');
    assert.deepEqual(u2.removals.sort(), gone.sort());
    const u3 = builder.next(s3);
    assert.ok(u3.kind === 'delta' && u3.removals.includes(`solo.shop.svc.${ZONE}`));

    const replica = new ZoneReplica();
    assert.equal(replica.hasState, false);
    for (const u of [u1, u2, u3]) replica.apply(JSON.parse(JSON.stringify(u)));
    const sorted = (s: ZoneState) => ({ ...s, names: [...s.names].sort(([a], [b]) => (a < b ? -1 : 1)) });
    assert.deepEqual(sorted(replica.exportState()), sorted(s3));
    assert.deepEqual(builder.full(), { kind: 'full', state: s3 });
  });

  it('a delta moves the SOA serial of names it did not touch', () => {
    const builder = new ZoneUpdateBuilder();
    const replica = new ZoneReplica();
    replica.apply(builder.next(stateOf(build(NOW, 41), 1)));
    replica.apply(builder.next(stateOf(build(NOW, 42), 2)));
    const nx = replica.answer({ name: `nope.${ZONE}`, type: 'A' }, clients[0]!);
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal((nx.authority[0] as { serial: number }).serial, 42);
    assert.equal(replica.version, 2);
  });

  it('answers SERVFAIL in the zone before a synced state, refuses a delta before a full state, notifies version changes', () => {
    const replica = new ZoneReplica();
    assert.equal(replica.answer({ name: ZONE, type: 'SOA' }, clients[0]!).rcode, 'REFUSED', 'no zones known yet');
    assert.throws(() => replica.apply({ kind: 'delta', version: 2, synced: true, apexes: [], upserts: [], removals: [] }), /before the full zone/);
    let calls = 0;
    const off = replica.onVersionChange(() => calls++);
    replica.apply({ kind: 'full', state: { ...stateOf(build(), 1), synced: false } });
    assert.equal(replica.answer({ name: WEIGHTED_NAME, type: 'A' }, clients[0]!).rcode, 'SERVFAIL');
    replica.apply({ kind: 'full', state: stateOf(build(), 2) });
    assert.equal(replica.answer({ name: WEIGHTED_NAME, type: 'A' }, clients[0]!).rcode, 'NOERROR');
    off();
    replica.apply({ kind: 'full', state: stateOf(build(), 3) });
    assert.equal(calls, 2);
  });
});
