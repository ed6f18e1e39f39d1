import assert from 'node:assert/strict';
import { GeoTable, ipv6ToBigInt } from '../../../dns/geo-table.js';
import { isBadRequest } from '../../../apimachinery/index.js';

describe('dns geo table', () => {
  it('matches the longest prefix, both families, and IPv4-mapped sources', () => {
    const t = new GeoTable([
      { cidr: '10.0.0.0/8', region: 'eu' },
      { cidr: '10.1.0.0/16', region: 'us' },
      { cidr: '0.0.0.0/0', region: 'default' },
      { cidr: '2001:db8::/32', region: 'ap' },
    ]);
    assert.equal(t.regionOf('10.2.3.4'), 'eu');
    assert.equal(t.regionOf('10.1.3.4'), 'us');
    assert.equal(t.regionOf('192.0.2.1'), 'default');
    assert.equal(t.regionOf('10.1.0.0/24'), 'us');
    assert.equal(t.regionOf('2001:db8:1::5'), 'ap');
    assert.equal(t.regionOf('2001:db9::5'), undefined);
    assert.equal(t.regionOf('::ffff:10.1.2.3'), 'us');
    assert.equal(t.regionOf('not-an-ip'), undefined);
  });

  it('parses IPv6 forms', () => {
    assert.equal(ipv6ToBigInt('::1'), 1n);
    assert.equal(ipv6ToBigInt('::'), 0n);
    assert.equal(ipv6ToBigInt('fe80::1%eth0'), (0xfe80n << 112n) | 1n);
    assert.equal(ipv6ToBigInt('::ffff:192.0.2.1'), (0xffffn << 32n) | 0xc0000201n);
    assert.equal(ipv6ToBigInt('1.2.3.4'), undefined);
  });

  it('rejects malformed entries with BadRequest', () => {
    assert.throws(() => new GeoTable([{ cidr: '10.0.0.0/33', region: 'x' }]), isBadRequest);
    assert.throws(() => new GeoTable([{ cidr: 'nope/8', region: 'x' }]), isBadRequest);
    assert.throws(() => new GeoTable([{ cidr: '10.0.0.0/8', region: '' }]), isBadRequest);
  });
});
