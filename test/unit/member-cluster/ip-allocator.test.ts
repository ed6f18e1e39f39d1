import assert from 'node:assert/strict';
import { cidrContains, IpAllocator, parseCidr, parseIPv4 } from '../../../member-cluster/ip-allocator.js';

describe('ip-allocator', () => {
  it('parses addresses and CIDRs, refusing malformed ones', () => {
    assert.equal(parseIPv4('127.1.0.1'), 0x7f010001);
    for (const bad of ['127.1.0', '127.1.0.256', 'a.b.c.d', '1.2.3.4.5', '01234.1.1.1']) assert.equal(parseIPv4(bad), undefined, bad);
    assert.equal(parseCidr('127.1.2.3/16').first, 0x7f010000);
    for (const bad of ['127.1.0.0', '127.1.0.0/33', '127.1.0.0/x', '127.1.0.0/16/1']) assert.throws(() => parseCidr(bad), /not an IPv4 CIDR/, bad);
    assert.equal(cidrContains(parseCidr('127.1.0.0/16'), '127.1.255.254'), true);
    assert.equal(cidrContains(parseCidr('127.1.0.0/16'), '127.2.0.1'), false);
  });

  it('never hands out the network, broadcast or excluded addresses, and runs out cleanly', () => {
    const a = new IpAllocator(parseCidr('127.5.0.0/29'), ['127.5.0.1', '127.5.0.4/31']);
    const got = [a.allocate(), a.allocate(), a.allocate()];
    assert.deepEqual(got, ['127.5.0.2', '127.5.0.3', '127.5.0.6']);
    assert.throws(() => a.allocate(), /no free address left in 127\.5\.0\.0\/29/);
    a.release('127.5.0.3');
    assert.equal(a.allocate(), '127.5.0.3');
  });

  it('rebuilds from addresses found in the store and does not reuse a freed address at once', () => {
    const a = new IpAllocator(parseCidr('127.6.0.0/24'));
    assert.equal(a.markUsed('127.6.0.2'), true);
    assert.equal(a.markUsed('127.6.0.2'), false);
    assert.equal(a.markUsed('127.7.0.2'), false);
    const x = a.allocate();
    assert.equal(x, '127.6.0.1');
    a.release(x);
    assert.equal(a.allocate(), '127.6.0.3');
    assert.equal(a.size, 2);
  });
});
