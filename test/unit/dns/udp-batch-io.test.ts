/**
 * Batched UDP I/O (recvmmsg/sendmmsg, ADR 016) on real loopback sockets: each datagram of a
 * burst is answered to its own source, the handler sees the source address as dgram would
 * report it (IPv4 and IPv6), a handler that throws or returns nothing costs only its own
 * datagram, and the IPv6 formatter agrees with Node's own formatting.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { SocketAddress } from 'node:net';
import { silentLogger } from '../../../controller/index.js';
import { formatIpv6, startBatchIo, type BatchIo, type DatagramHandler } from '../../../dns/udp-batch-io.js';

const supported = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);

/** A server socket read by startBatchIo with `handler`; returns its port and a stop function. */
async function batchServer(type: 'udp4' | 'udp6', host: string, handler: DatagramHandler): Promise<{ port: number; io: BatchIo; stop: () => Promise<void> }> {
  const socket = createSocket({ type, recvBufferSize: 1 << 20 });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const io = startBatchIo(socket, handler, silentLogger);
  if ('reason' in io) throw new Error(io.reason);
  return {
    port: socket.address().port,
    io,
    stop: async () => {
      io.stop();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** Sends `packets` at once from one socket bound to `from`; resolves the replies that arrive within `ms`. */
async function burst(type: 'udp4' | 'udp6', from: string, to: string, port: number, packets: Buffer[], ms = 1_000): Promise<Buffer[]> {
  const client: Socket = createSocket({ type, recvBufferSize: 1 << 20 });
  await new Promise<void>((resolve) => client.bind(0, from, resolve));
  const replies: Buffer[] = [];
  client.on('message', (m) => replies.push(m));
  for (const p of packets) client.send(p, port, to);
  const deadline = Date.now() + ms;
  while (replies.length < packets.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  client.close();
  return replies;
}

describe('batched UDP I/O', function () {
  this.timeout(20_000);
  before(function () {
    if (!supported) {
      console.log(`      skipped: batched UDP I/O is Linux x64/arm64 only, this is ${process.platform}/${process.arch}`);
      this.skip();
    }
  });

  it('answers every datagram of a burst to its own source, with the source address dgram would give', async () => {
    const sources = new Set<string>();
    const server = await batchServer('udp4', '127.0.0.1', (packet, source) => {
      sources.add(source);
      return Buffer.concat([Buffer.from('re:'), packet]);
    });
    try {
      const packets = Array.from({ length: 200 }, (_, i) => Buffer.from(`q${i}`));
      const replies = await burst('udp4', '127.0.0.7', '127.0.0.1', server.port, packets);
      assert.deepEqual(replies.map(String).sort(), packets.map((p) => `re:${p}`).sort());
      assert.deepEqual([...sources], ['127.0.0.7']);
      const stats = server.io.stats();
      assert.equal(stats.datagrams, 200);
      assert.ok(stats.batches >= 1 && stats.batches <= 200);
      assert.equal(stats.sendFailures, 0);
    } finally {
      await server.stop();
    }
  });

  it('serves IPv6 sources', async function () {
    let source = '';
    let server;
    try {
      server = await batchServer('udp6', '::1', (packet, from) => {
        source = from;
        return packet;
      });
    } catch (err) {
      console.log(`      skipped: no IPv6 loopback here (${(err as Error).message})`);
      this.skip();
    }
    try {
      const replies = await burst('udp6', '::1', '::1', server.port, [Buffer.from('ping6')]);
      assert.deepEqual(replies.map(String), ['ping6']);
      assert.equal(source, '::1');
    } finally {
      await server.stop();
    }
  });

  it('a handler that throws or answers nothing costs only its own datagram', async () => {
    const server = await batchServer('udp4', '127.0.0.1', (packet) => {
      const text = String(packet);
      if (text.startsWith('throw')) throw new Error('handler failure');
      if (text.startsWith('drop')) return undefined;
      if (text.startsWith('huge')) return Buffer.alloc(8192); // larger than any UDP response we send
      return packet;
    });
    try {
      const packets = ['a', 'throw1', 'b', 'drop1', 'c', 'huge1', 'd'].map((s) => Buffer.from(s));
      const replies = await burst('udp4', '127.0.0.1', '127.0.0.1', server.port, packets, 500);
      assert.deepEqual(replies.map(String).sort(), ['a', 'b', 'c', 'd']);
      // Still serving afterwards.
      assert.deepEqual((await burst('udp4', '127.0.0.1', '127.0.0.1', server.port, [Buffer.from('e')])).map(String), ['e']);
    } finally {
      await server.stop();
    }
  });

  it('stop() hands the socket back: nothing is answered afterwards and it closes cleanly', async () => {
    const server = await batchServer('udp4', '127.0.0.1', (p) => p);
    server.io.stop();
    const replies = await burst('udp4', '127.0.0.1', '127.0.0.1', server.port, [Buffer.from('late')], 300);
    assert.deepEqual(replies, []);
    await server.stop();
  });

  it('formats IPv6 addresses as Node does', () => {
    const samples = ['::', '::1', '2001:db8::1', '2001:db8:0:0:1:0:0:1', 'fe80::1:2:3:4', '2001:db8:1:2:3:4:5:6', '::ffff:192.0.2.1', '1::', '0:1:0:1:0:1:0:1', '2001:0:0:1::1'];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const groups = Array.from({ length: 8 }, () => (random() % 3 === 0 ? 0 : random() % 0x10000));
      samples.push(groups.map((g) => g.toString(16)).join(':'));
    }
    for (const text of samples) {
      const expected = new SocketAddress({ address: text, family: 'ipv6' }).address;
      const bytes = Buffer.alloc(16);
      const full = expected.includes('.') ? expected : text;
      // Parse through Node: write the 8 groups of the canonical form.
      const words = expandIpv6(full);
      words.forEach((w, k) => bytes.writeUInt16BE(w, k * 2));
      assert.equal(formatIpv6(new DataView(bytes.buffer, bytes.byteOffset, 16), 0), expected, text);
    }
  });
});

/** The 8 16-bit groups of an IPv6 text address (with an optional dotted IPv4 tail). */
function expandIpv6(text: string): number[] {
  let s = text;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) => parseInt(g, 16));
}
