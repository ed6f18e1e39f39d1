import assert from 'node:assert/strict';
import { DnsServer } from '../../../dns/index.js';
import { silentLogger } from '../../../controller/index.js';
import { ALIAS, APEX, BIG, BIG_COUNT, BROKEN, SRV, WEB, WEB_ADDRESSES, WEIGHTED, WEIGHTED_ADDRESSES, staticZone } from '../../fixtures/dns-static-zone.js';
import { buildQuery, decode, tcpExchange, udpExchange, type QuerySpec } from '../../fixtures/dns-wire-client.js';

const AA = 0x0400;
const TC = 0x0200;

describe('DnsServer', () => {
  let server: DnsServer;
  let zone: ReturnType<typeof staticZone>;
  let port: number;

  beforeEach(async () => {
    zone = staticZone();
    server = new DnsServer({ zone, logger: silentLogger });
    const addresses = await server.start();
    port = addresses.udp.port;
    assert.equal(addresses.tcp.port, port, 'UDP and TCP share the port');
  });
  afterEach(() => server.stop());

  async function ask(spec: QuerySpec): Promise<Buffer> {
    const reply = await udpExchange(port, buildQuery(spec));
    assert.ok(reply, 'a reply');
    return reply;
  }

  it('answers A with AA, echoes ID and RD, and compresses names', async () => {
    const raw = await ask({ id: 0xbeef, name: WEB });
    const p = decode(raw);
    assert.equal(p.header.id, 0xbeef);
    assert.equal(p.header.qr, 1);
    assert.equal(p.header.rd, 1);
    assert.equal(raw.readUInt16BE(2) & AA, AA);
    assert.equal(p.header.rcode, 0);
    assert.deepEqual(p.answers.map((r) => r.address).sort(), WEB_ADDRESSES);
    // Answer owners are pointers to the question name at offset 12.
    const qEnd = 12 + WEB.length + 2 + 4;
    assert.equal(raw.readUInt16BE(qEnd), 0xc00c);
    const noRd = decode(await ask({ name: WEB, flags: 0 }));
    assert.equal(noRd.header.rd, 0);
  });

  it('preserves the client question case and matches case-insensitively', async () => {
    const mixed = 'WeB.ShOp.SvC.GlObAl.FeDgAtE.InTeRnAl';
    const raw = await ask({ name: mixed });
    const p = decode(raw);
    assert.equal(p.questions[0]!.name, mixed);
    assert.equal(p.answers.length, 2);
    assert.equal(raw.subarray(12, 12 + mixed.length + 2).toString('latin1').includes('WeB'), true);
  });

  it('NXDOMAIN and NODATA carry the SOA in authority', async () => {
    const nx = decode(await ask({ name: `nope.shop.svc.${APEX}` }));
    assert.equal(nx.header.rcode, 3);
    assert.equal(nx.header.aa, 1);
    assert.equal(nx.answers.length, 0);
    assert.equal(nx.authorities[0]!.type, 6);
    const nodata = decode(await ask({ name: WEB, type: 28 }));
    assert.equal(nodata.header.rcode, 0);
    assert.equal(nodata.answers.length, 0);
    assert.equal(nodata.authorities[0]!.type, 6);
    assert.equal(nodata.authorities[0]!.primary, `ns1.${APEX}`);
  });

  it('REFUSED outside the zone, without AA; CH class refused too', async () => {
    const raw = await ask({ name: 'example.com' });
    assert.equal(raw.readUInt16BE(2) & 0xf, 5);
    assert.equal(raw.readUInt16BE(2) & AA, 0);
    assert.equal(decode(raw).questions[0]!.name, 'example.com');
    const ch = await ask({ name: 'version.bind', type: 16, qclass: 3 });
    assert.equal(ch.readUInt16BE(2) & 0xf, 5);
  });

  it('serves CNAME, SRV, SOA, NS, AAAA and TXT', async () => {
    const cname = decode(await ask({ name: ALIAS }));
    assert.equal(cname.answers[0]!.domain, WEB);
    assert.equal(cname.answers.length, 3);
    const srv = decode(await ask({ name: SRV, type: 33 }));
    assert.deepEqual([srv.answers[0]!.priority, srv.answers[0]!.weight, srv.answers[0]!.port, srv.answers[0]!.target], [10, 5, 8080, WEB]);
    const soa = decode(await ask({ name: APEX, type: 6 }));
    assert.equal(soa.answers[0]!.serial, 2026112601);
    const ns = decode(await ask({ name: APEX, type: 2 }));
    assert.equal(ns.answers[0]!.ns, `ns1.${APEX}`);
    const aaaa = decode(await ask({ name: `v6.shop.svc.${APEX}`, type: 28 }));
    assert.equal(aaaa.answers[0]!.address, '2001:db8::1');
    const txt = decode(await ask({ name: `txt.shop.svc.${APEX}`, type: 16 }));
    assert.equal(String(txt.answers[0]!.data), 'hello fedgate');
  });

  it('FORMERR for QDCOUNT 2, a truncated question, bad label lengths; NOTIMP for other opcodes; drops responses', async () => {
    const q = buildQuery({ name: WEB });
    const two = Buffer.from(q);
    two.writeUInt16BE(2, 4);
    assert.equal((await udpExchange(port, two))!.readUInt16BE(2) & 0xf, 1);
    const cut = (await udpExchange(port, q.subarray(0, 20)))!;
    assert.equal(cut.readUInt16BE(2) & 0xf, 1);
    assert.equal(cut.readUInt16BE(4), 0, 'no question echoed when it did not parse');
    const badLabel = Buffer.from(q);
    badLabel[12] = 0x50;
    assert.equal((await udpExchange(port, badLabel))!.readUInt16BE(2) & 0xf, 1);
    const notify = (await udpExchange(port, buildQuery({ name: WEB, flags: 4 << 11 })))!;
    assert.equal(notify.readUInt16BE(2) & 0xf, 4);
    assert.equal((notify.readUInt16BE(2) >> 11) & 0xf, 4, 'opcode echoed');
    assert.equal(await udpExchange(port, buildQuery({ name: WEB, flags: 0x8000 }), 300), undefined);
    assert.equal(await udpExchange(port, Buffer.from([1, 2, 3]), 300), undefined);
    assert.equal(decode(await ask({ name: WEB })).answers.length, 2, 'still answering');
  });

  it('SERVFAIL when the zone throws, and keeps serving', async () => {
    const raw = await ask({ name: BROKEN });
    assert.equal(raw.readUInt16BE(2) & 0xf, 2);
    assert.equal(decode(await ask({ name: WEB })).answers.length, 2);
  });

  it('EDNS: echoes OPT with our payload size, BADVERS for version 1, FORMERR for two OPTs', async () => {
    const p = decode(await ask({ name: WEB, edns: { udpSize: 4096 } }));
    const opt = p.additionals.find((r) => r.type === 41)!;
    assert.ok(opt);
    assert.equal(opt.class, 1232);
    const bad = await ask({ name: WEB, edns: { version: 1 } });
    const badP = decode(bad);
    assert.equal(badP.header.rcode, 16);
    assert.equal(badP.answers.length, 0);
    const twice = buildQuery({ name: WEB, edns: {} });
    const doubled = Buffer.concat([twice, twice.subarray(twice.length - 11)]);
    doubled.writeUInt16BE(2, 10);
    assert.equal((await udpExchange(port, doubled))!.readUInt16BE(2) & 0xf, 1);
  });

  it('ECS: parsed into ClientInfo.subnet and echoed with a scope; invalid ECS is FORMERR', async () => {
    const raw = await ask({ name: WEB, edns: { ecs: { family: 1, sourcePrefix: 24, address: [198, 51, 100] } } });
    assert.equal(zone.lastClient?.subnet, '198.51.100.0/24');
    const opt = decode(raw).additionals.find((r) => r.type === 41)!;
    const ecs = opt.rdata![0] as unknown as { family: number; sourcePrefixLength: number; scopePrefixLength: number };
    assert.deepEqual([ecs.family, ecs.sourcePrefixLength, ecs.scopePrefixLength], [1, 24, 0]);
    const weighted = decode(await ask({ name: WEIGHTED, edns: { ecs: { family: 1, sourcePrefix: 16, address: [10, 1] } } }));
    const wEcs = weighted.additionals.find((r) => r.type === 41)!.rdata![0] as unknown as { scopePrefixLength: number };
    assert.equal(wEcs.scopePrefixLength, 16, 'a per-query answer is scoped to the source prefix');
    const bits = await ask({ name: WEB, edns: { ecs: { family: 1, sourcePrefix: 20, address: [10, 1, 0xff] } } });
    assert.equal(bits.readUInt16BE(2) & 0xf, 1, 'bits set past the prefix');
    const fam = await ask({ name: WEB, edns: { ecs: { family: 7, sourcePrefix: 0, address: [] } } });
    assert.equal(fam.readUInt16BE(2) & 0xf, 1);
  });

  it('truncates UDP to header + question (+OPT) with TC, honouring the advertised size, and serves it whole over TCP', async () => {
    const plain = await ask({ name: BIG });
    assert.equal(plain.readUInt16BE(2) & TC, TC);
    assert.equal(plain.readUInt16BE(6), 0);
    assert.ok(plain.length <= 512);
    assert.equal(decode(plain).questions[0]!.name, BIG);
    const edns = await ask({ name: BIG, edns: { udpSize: 1232 } });
    assert.equal(edns.readUInt16BE(2) & TC, TC, '1.6 kB does not fit 1232');
    assert.equal(decode(edns).additionals[0]!.type, 41);
    const small = await ask({ name: WEB, edns: { udpSize: 100 } });
    assert.equal(small.readUInt16BE(2) & TC, 0, 'sizes below 512 count as 512');
    const [full] = await tcpExchange(port, [buildQuery({ name: BIG })]);
    assert.equal(full!.readUInt16BE(2) & TC, 0);
    assert.equal(decode(full!).answers.length, BIG_COUNT);
  });

  it('TCP: several pipelined queries, and bad messages that do not stop later ones', async () => {
    const q1 = buildQuery({ id: 1, name: WEB });
    const q2 = buildQuery({ id: 2, name: SRV, type: 33 });
    const garbage = Buffer.from([0, 0, 0, 0, 0]);
    const replies = await tcpExchange(port, [q1, garbage, q2], 2);
    assert.equal(replies.length, 2);
    assert.deepEqual(replies.map((r) => r.readUInt16BE(0)), [1, 2]);
    assert.equal(decode(replies[1]!).answers[0]!.type, 33);
  });

  it('caches per zone version and keeps weighted answers per query', async () => {
    await ask({ name: WEB });
    const before = zone.answers;
    await ask({ name: 'WEB.shop.svc.global.fedgate.internal' });
    await ask({ name: WEB, edns: {} });
    assert.equal(zone.answers, before, 'served from the cache whatever the case and EDNS');
    zone.version++;
    await ask({ name: WEB });
    assert.equal(zone.answers, before + 1, 'a new version asks the zone again');
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(decode(await ask({ name: WEIGHTED })).answers[0]!.address!);
    assert.deepEqual([...seen].sort(), WEIGHTED_ADDRESSES);
  });
});
