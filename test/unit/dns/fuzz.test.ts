/**
 * Bounded fuzz of the DNS server in a child process (so a crash is observable): 50,000
 * random and mutated datagrams and a few hundred hostile TCP frames, from a seeded PRNG;
 * afterwards the server must still be alive and answer correctly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { APEX, BIG, WEB, WEB_ADDRESSES } from '../../fixtures/dns-static-zone.js';
import { buildQuery, decode, tcpExchange, udpExchange } from '../../fixtures/dns-wire-client.js';
import { seededRandom } from '../../../controller/index.js';
import { isAlive } from '../../fixtures/processes.js';

const UDP_PACKETS = 50_000;
const TCP_FRAMES = 400;
const SEED = 0x5eed_d15;

function hostilePackets(rand: () => number): () => Buffer {
  const int = (n: number): number => Math.floor(rand() * n);
  const seeds = [
    buildQuery({ name: WEB }),
    buildQuery({ name: BIG, edns: { udpSize: 4096 } }),
    buildQuery({ name: `_http._tcp.web.shop.svc.${APEX}`, type: 33, edns: { ecs: { family: 1, sourcePrefix: 24, address: [10, 0, 0] } } }),
    buildQuery({ name: APEX, type: 6, edns: { dnssecOk: true } }),
  ];
  return () => {
    const kind = int(6);
    if (kind === 0) {
      const b = Buffer.alloc(int(700));
      for (let i = 0; i < b.length; i++) b[i] = int(256);
      return b;
    }
    const base = Buffer.from(seeds[int(seeds.length)]!);
    if (kind === 1) return base.subarray(0, int(base.length)); // truncation
    if (kind === 2) {
      // header counts up to 0xffff
      base.writeUInt16BE(int(4) === 0 ? 0xffff : int(4), 4 + 2 * int(4));
      base[2]! &= 0x7f; // keep it a query
      return base;
    }
    if (kind === 3) {
      // compression pointers and label bytes in odd places, incl. self-loops
      const at = 12 + int(base.length - 12);
      base[at] = 0xc0 | int(64);
      if (at + 1 < base.length) base[at + 1] = int(2) === 0 ? at & 0xff : int(256);
      return base;
    }
    if (kind === 4) {
      // random byte flips, query bit cleared half of the time
      for (let n = 1 + int(6); n > 0; n--) base[int(base.length)] = int(256);
      if (int(2) === 0) base[2]! &= 0x7f;
      return base;
    }
    // appended junk records and options
    const junk = Buffer.alloc(int(64));
    for (let i = 0; i < junk.length; i++) junk[i] = int(256);
    const out = Buffer.concat([base, junk]);
    out.writeUInt16BE(int(3), 10);
    return out;
  };
}

for (const workers of [1, 2]) {
  describe(`DNS server fuzz (child process${workers > 1 ? `, ${workers} UDP workers` : ''})`, function () {
    this.timeout(60_000);
    let child: ChildProcess;
    let port: number;
    let workerPids: number[] = [];
    let exited: number | string | null = null;

    before(async () => {
      child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/dns-server-process.ts')], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, DNS_WORKERS: String(workers) },
      });
      child.on('exit', (code, signal) => {
        exited = code ?? signal;
      });
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', resolve);
        child.once('exit', () => reject(new Error('DNS server process exited before listening')));
      });
      ({ port, workers: workerPids } = JSON.parse(line) as { port: number; workers: number[] });
      assert.equal(workerPids.length, workers > 1 ? workers : 0);
    });

    after(async () => {
      if (child.pid !== undefined && exited === null) process.kill(child.pid, 'SIGKILL');
      // Workers leave with their parent (their IPC channel closes); make sure of it.
      for (let i = 0; i < 100 && workerPids.some(isAlive); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      for (const pid of workerPids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    });

    it(`survives ${UDP_PACKETS} hostile datagrams and ${TCP_FRAMES} hostile TCP frames, then answers correctly`, async () => {
      const next = hostilePackets(seededRandom(SEED));
      const socket = createSocket('udp4');
      let replies = 0;
      socket.on('message', () => replies++);
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      const BATCH = 200;
      for (let sent = 0; sent < UDP_PACKETS; sent += BATCH) {
        await Promise.all(
          Array.from({ length: BATCH }, () => new Promise<void>((resolve) => socket.send(next(), port, '127.0.0.1', () => resolve()))),
        );
        // Let the server drain between batches so the test checks handling, not socket buffer overflow.
        await new Promise((resolve) => setTimeout(resolve, 2));
        assert.equal(exited, null, `server exited (${exited}) after ~${sent} packets`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.close();
      assert.ok(replies > UDP_PACKETS / 10, `the server kept replying (${replies} replies)`);

      // TCP: hostile frames on several connections, some cut mid-frame.
      for (let c = 0; c < 20; c++) {
        const frames = Array.from({ length: TCP_FRAMES / 20 }, () => next());
        const wire = Buffer.concat(frames.map((f) => Buffer.concat([Buffer.from([f.length >> 8, f.length & 255]), f])));
        await new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1', () => {
            s.end(c % 4 === 0 ? wire.subarray(0, wire.length - 3) : wire);
          });
          s.on('data', () => {});
          s.on('error', () => resolve());
          s.on('close', () => resolve());
        });
      }
      assert.equal(exited, null, `server exited (${exited})`);

      const reply = await udpExchange(port, buildQuery({ id: 77, name: WEB }));
      assert.ok(reply, 'answers over UDP after the fuzz');
      const p = decode(reply);
      assert.equal(p.header.id, 77);
      assert.deepEqual(p.answers.map((r) => r.address).sort(), WEB_ADDRESSES);
      const [tcp] = await tcpExchange(port, [buildQuery({ id: 78, name: WEB })]);
      assert.deepEqual(decode(tcp!).answers.map((r) => r.address).sort(), WEB_ADDRESSES);
      assert.equal(exited, null);
      for (const pid of workerPids) assert.ok(isAlive(pid), `UDP worker ${pid} is still the one serving (none crashed)`);
    });
  });
}
