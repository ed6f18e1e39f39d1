/**
 * The DNS server against real resolvers: Node's c-ares `Resolver` and, when installed,
 * BIND's `dig` (package bind9-dnsutils; required under CI=true).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { promisify } from 'node:util';
import { DnsServer } from '../../dns/index.js';
import { silentLogger } from '../../controller/index.js';
import { ALIAS, APEX, BIG, BIG_COUNT, SRV, WEB, WEB_ADDRESSES, staticZone } from '../fixtures/dns-static-zone.js';
import { buildQuery, udpExchange } from '../fixtures/dns-wire-client.js';

const run = promisify(execFile);
const DIG = '/usr/bin/dig';

describe('DNS wire conformance', () => {
  let server: DnsServer;
  let port: number;

  before(async () => {
    server = new DnsServer({ zone: staticZone(), logger: silentLogger });
    port = (await server.start()).udp.port;
  });
  after(() => server.stop());

  describe('Node resolver (c-ares)', () => {
    let resolver: Resolver;
    before(() => {
      resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${port}`]);
    });

    it('resolve4, resolveCname, resolveSrv, resolveSoa, resolveNs', async () => {
      assert.deepEqual((await resolver.resolve4(WEB)).sort(), WEB_ADDRESSES);
      assert.deepEqual(await resolver.resolveCname(ALIAS), [WEB]);
      assert.deepEqual(await resolver.resolveSrv(SRV), [{ name: WEB, port: 8080, priority: 10, weight: 5 }]);
      const soa = await resolver.resolveSoa(APEX);
      assert.equal(soa.nsname, `ns1.${APEX}`);
      assert.equal(soa.serial, 2026112601);
      assert.deepEqual(await resolver.resolveNs(APEX), [`ns1.${APEX}`]);
    });

    it('a large answer arrives whole (c-ares retries over TCP on TC)', async () => {
      assert.equal((await resolver.resolve4(BIG)).length, BIG_COUNT);
    });

    it('NXDOMAIN is ENOTFOUND, NODATA is ENODATA, outside the zone is REFUSED', async () => {
      await assert.rejects(resolver.resolve4(`nope.${APEX}`), { code: 'ENOTFOUND' });
      await assert.rejects(resolver.resolve6(WEB), { code: 'ENODATA' });
      await assert.rejects(resolver.resolve4('example.com'), { code: 'EREFUSED' });
    });
  });

  describe('dig', function () {
    before(function () {
      if (existsSync(DIG)) return;
      if (process.env['CI'] === 'true') throw new Error(`${DIG} is missing: apt-get install -y bind9-dnsutils`);
      console.log(`    skipped: ${DIG} not found (apt-get install -y bind9-dnsutils)`);
      this.skip();
    });

    async function dig(...args: string[]): Promise<string> {
      const { stdout } = await run(DIG, ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args]);
      return stdout;
    }
    const flagsOf = (out: string): string[] => /;; flags: ([a-z ]+);/.exec(out)![1]!.trim().split(' ');
    const statusOf = (out: string): string => /status: ([A-Z]+)/.exec(out)![1]!;

    it('authoritative answer: AA set, NOERROR, both addresses', async () => {
      const out = await dig(WEB, 'A');
      assert.equal(statusOf(out), 'NOERROR');
      assert.ok(flagsOf(out).includes('aa'));
      for (const ip of WEB_ADDRESSES) assert.match(out, new RegExp(`${WEB}\\.\\s+30\\s+IN\\s+A\\s+${ip.replaceAll('.', '\\.')}`));
    });

    it('NXDOMAIN and NODATA with the SOA in authority', async () => {
      const nx = await dig(`nope.${APEX}`, 'A');
      assert.equal(statusOf(nx), 'NXDOMAIN');
      assert.match(nx, /AUTHORITY SECTION:\n.*\bSOA\b/);
      const nodata = await dig(WEB, 'AAAA');
      assert.equal(statusOf(nodata), 'NOERROR');
      assert.match(nodata, /ANSWER: 0, AUTHORITY: 1/);
      assert.match(nodata, /AUTHORITY SECTION:\n.*\bSOA\b/);
    });

    it('REFUSED outside the zone, without aa', async () => {
      const out = await dig('example.com', 'A');
      assert.equal(statusOf(out), 'REFUSED');
      assert.ok(!flagsOf(out).includes('aa'));
    });

    it('TCP answers the large name whole', async () => {
      const out = await dig('+tcp', BIG, 'A');
      assert.match(out, new RegExp(`ANSWER: ${BIG_COUNT},`));
      assert.ok(!flagsOf(out).includes('tc'));
    });

    it('TC on a large UDP answer (+ignore +noedns), and on +bufsize=1232', async () => {
      const plain = await dig('+ignore', '+noedns', BIG, 'A');
      assert.ok(flagsOf(plain).includes('tc'));
      assert.match(plain, /ANSWER: 0,/);
      const edns = await dig('+ignore', '+bufsize=1232', BIG, 'A');
      assert.ok(flagsOf(edns).includes('tc'));
      const big = await dig('+ignore', '+bufsize=4096', WEB, 'A');
      assert.ok(!flagsOf(big).includes('tc'));
    });

    it('EDNS: OPT echoed with our UDP size; version 1 is BADVERS', async () => {
      const out = await dig('+edns=0', '+bufsize=4096', WEB, 'A');
      assert.match(out, /OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:.*; udp: 1232/);
      const bad = await dig('+edns=1', '+noednsnegotiation', WEB, 'A');
      assert.equal(statusOf(bad), 'BADVERS');
    });

    it('ECS: subnet echoed with a scope', async () => {
      const out = await dig('+subnet=198.51.100.0/24', WEB, 'A');
      assert.match(out, /CLIENT-SUBNET: 198\.51\.100\.0\/24\/0/);
    });

    it('question case preserved', async () => {
      const out = await dig('WeB.ShOp.svc.global.fedgate.internal', 'A');
      assert.match(out, /QUESTION SECTION:\n;WeB\.ShOp\.svc\.global\.fedgate\.internal\.\s+IN\s+A/);
      assert.equal(statusOf(out), 'NOERROR');
    });
  });

  describe('crafted packets', () => {
    it('NOTIMP for an opcode other than QUERY (STATUS = 2)', async () => {
      const reply = (await udpExchange(port, buildQuery({ name: WEB, flags: 2 << 11 })))!;
      assert.equal(reply.readUInt16BE(2) & 0xf, 4);
      assert.equal(reply.readUInt16BE(0), 0x1234);
    });

    it('FORMERR for a question whose label runs past the end', async () => {
      const q = buildQuery({ name: WEB });
      q[12] = 60;
      const reply = (await udpExchange(port, q.subarray(0, 40)))!;
      assert.equal(reply.readUInt16BE(2) & 0xf, 1);
      assert.equal(reply.readUInt16BE(2) & 0x8000, 0x8000);
    });
  });
});
