import assert from 'node:assert/strict';
import { parseQuery } from '../../../dns/wire-query.js';
import { buildQuery } from '../../fixtures/dns-wire-client.js';

describe('parseQuery', () => {
  it('reads id, flags, lower-cased name, type, class, question end and EDNS', () => {
    const q = buildQuery({ id: 9, name: 'WeB.Example', type: 28, edns: { udpSize: 4000, dnssecOk: true } });
    const p = parseQuery(q);
    assert.equal(p.kind, 'query');
    if (p.kind !== 'query') return;
    assert.deepEqual([p.id, p.name, p.qtype, p.qclass, p.questionEnd], [9, 'web.example', 28, 1, 12 + 13 + 4]);
    assert.deepEqual(p.edns, { udpSize: 4000, version: 0, dnssecOk: true });
  });

  it('escapes dots and odd bytes inside labels so they cannot fake a label boundary', () => {
    const q = buildQuery({ name: 'a.b' });
    q[13] = 0x2e; // label "a" becomes "."
    const p = parseQuery(q);
    assert.equal(p.kind === 'query' && p.name, '\\046.b');
  });

  it('lower-cases A–Z only, also in names with escaped bytes; a space is always escaped (cache keys rely on it)', () => {
    const p = parseQuery(buildQuery({ name: 'Ab c.DE\u00c4.X' }));
    assert.equal(p.kind === 'query' && p.name, 'ab\\032c.de\\196.x');
    const long = parseQuery(buildQuery({ name: `${'A'.repeat(63)}.${'b'.repeat(63)}.${'C'.repeat(63)}.${'d'.repeat(61)}` }));
    assert.equal(long.kind === 'query' && long.name, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`);
  });

  it('the root name parses as the empty string', () => {
    const p = parseQuery(buildQuery({ name: '' }));
    assert.equal(p.kind === 'query' && p.name, '');
  });

  it('drops short packets and responses', () => {
    assert.deepEqual(parseQuery(Buffer.alloc(11)), { kind: 'drop', reason: 'short' });
    assert.equal(parseQuery(buildQuery({ name: 'x', flags: 0x8000 })).kind, 'drop');
  });

  it('FORMERR: QDCOUNT 0, pointer in the question, name over 255 octets, OPT not at the root, records past the end', () => {
    const rcode = (b: Buffer): number | undefined => {
      const p = parseQuery(b);
      return p.kind === 'reject' ? p.rcode : undefined;
    };
    const zero = buildQuery({ name: 'x' });
    zero.writeUInt16BE(0, 4);
    assert.equal(rcode(zero), 1);
    const ptr = buildQuery({ name: 'x' });
    ptr[12] = 0xc0;
    ptr[13] = 12;
    assert.equal(rcode(ptr), 1);
    assert.equal(rcode(buildQuery({ name: Array(5).fill('a'.repeat(60)).join('.') })), 1);
    const badOpt = buildQuery({ name: 'x', edns: {} });
    const optAt = badOpt.length - 11;
    const moved = Buffer.concat([badOpt.subarray(0, optAt), Buffer.from([1, 0x61]), badOpt.subarray(optAt + 1)]);
    assert.equal(rcode(moved), 1);
    const extra = buildQuery({ name: 'x' });
    extra.writeUInt16BE(3, 6);
    assert.equal(rcode(extra), 1);
  });

  it('parses ECS into a presentation subnet, IPv4 and IPv6', () => {
    const v4 = parseQuery(buildQuery({ name: 'x', edns: { ecs: { family: 1, sourcePrefix: 20, address: [10, 1, 0xf0] } } }));
    assert.equal(v4.kind === 'query' && v4.edns?.ecs?.subnet, '10.1.240.0/20');
    const v6 = parseQuery(buildQuery({ name: 'x', edns: { ecs: { family: 2, sourcePrefix: 32, address: [0x20, 0x01, 0x0d, 0xb8] } } }));
    assert.equal(v6.kind === 'query' && v6.edns?.ecs?.subnet, '2001:db8:0:0:0:0:0:0/32');
    const long = parseQuery(buildQuery({ name: 'x', edns: { ecs: { family: 1, sourcePrefix: 33, address: [1, 2, 3, 4, 5] } } }));
    assert.equal(long.kind === 'reject' && long.rcode, 1);
  });

  it('NOTIMP wins over FORMERR for other opcodes; BADVERS for EDNS version 1', () => {
    const upd = parseQuery(buildQuery({ name: 'x', flags: 5 << 11 }));
    assert.equal(upd.kind === 'reject' && upd.rcode, 4);
    const v1 = parseQuery(buildQuery({ name: 'x', edns: { version: 1 } }));
    assert.equal(v1.kind === 'reject' && v1.rcode, 16);
  });
});
