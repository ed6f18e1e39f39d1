import assert from 'node:assert/strict';
import { encodeAnswerBody, encodeOpt, finishResponse, ipv6Bytes } from '../../../dns/wire-response.js';
import { buildQuery, decode } from '../../fixtures/dns-wire-client.js';

describe('wire-response', () => {
  const q = buildQuery({ id: 5, name: 'Svc.Zone' });
  const qEnd = q.length;
  const answer = {
    rcode: 'NOERROR' as const,
    authoritative: true,
    answers: [
      { name: 'svc.zone', type: 'CNAME' as const, ttl: 1, target: 'www.svc.zone' },
      { name: 'www.svc.zone', type: 'SRV' as const, ttl: 1, priority: 1, weight: 2, port: 3, target: 'svc.zone' },
    ],
    authority: [],
    additional: [],
  };

  it('compresses owner and CNAME names against the question, never the SRV target', () => {
    const body = encodeAnswerBody(q, qEnd, 'svc.zone', answer);
    assert.equal(body.readUInt16BE(qEnd), 0xc00c, 'owner points at the question');
    // CNAME rdata: "www" + pointer to 12 = 1 + 3 + 2 octets
    assert.equal(body.readUInt16BE(qEnd + 10), 6);
    const srvTarget = body.subarray(body.length - 10);
    assert.deepEqual([...srvTarget], [3, 0x73, 0x76, 0x63, 4, 0x7a, 0x6f, 0x6e, 0x65, 0], 'literal SRV target');
    const p = decode(finishResponse(body, q, qEnd, undefined, 512));
    assert.equal(p.header.id, 5);
    assert.equal(p.questions[0]!.name, 'Svc.Zone');
    assert.equal(p.answers[1]!.target, 'svc.zone');
  });

  it('truncates to header + question + OPT with TC when over the limit', () => {
    const body = encodeAnswerBody(q, qEnd, 'svc.zone', answer);
    const opt = encodeOpt({ udpPayload: 1232, extendedRcode: 0, dnssecOk: false });
    const cut = finishResponse(body, q, qEnd, opt, body.length + opt.length - 1);
    assert.equal(cut.length, qEnd + 11);
    assert.equal(cut.readUInt16BE(2) & 0x0200, 0x0200);
    assert.deepEqual([cut.readUInt16BE(6), cut.readUInt16BE(8), cut.readUInt16BE(10)], [0, 0, 1]);
    const whole = finishResponse(body, q, qEnd, opt, body.length + opt.length);
    assert.equal(whole.readUInt16BE(2) & 0x0200, 0);
    assert.equal(whole.readUInt16BE(10), 1);
  });

  it('rejects zone data that cannot be encoded', () => {
    const bad = { ...answer, answers: [{ name: 'a'.repeat(64) + '.zone', type: 'A' as const, ttl: 1, address: '1.2.3.4' }] };
    assert.throws(() => encodeAnswerBody(q, qEnd, 'svc.zone', bad), RangeError);
    const badIp = { ...answer, answers: [{ name: 'zone', type: 'A' as const, ttl: 1, address: '1.2.3' }] };
    assert.throws(() => encodeAnswerBody(q, qEnd, 'svc.zone', badIp), RangeError);
  });

  it('ipv6Bytes handles ::, full and dotted-quad forms', () => {
    assert.equal(ipv6Bytes('2001:db8::1').toString('hex'), '20010db8000000000000000000000001');
    assert.equal(ipv6Bytes('::').toString('hex'), '0'.repeat(32));
    assert.equal(ipv6Bytes('::ffff:192.0.2.1').toString('hex'), '00000000000000000000ffffc0000201');
    assert.equal(ipv6Bytes('1:2:3:4:5:6:7:8').toString('hex'), '00010002000300040005000600070008');
  });
});
