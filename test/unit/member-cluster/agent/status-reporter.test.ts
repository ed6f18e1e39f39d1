import assert from 'node:assert/strict';
import type { ResourceRegistry } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import { StatusReporter, StreamSender, type GatewayStream, type StatusMessage, type StatusSink } from '../../../../member-cluster/agent/index.js';
import type { fedgate } from '../../../../proto/index.js';
import type { Store } from '../../../../store/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';
import { deployment, managedLabels, memberRegistry, newStore, putObject, settle, stored } from './agent-fixture.js';

/** A sink whose buffer the test fills and drains. */
class TestSink implements StatusSink {
  writable = true;
  readonly sent: StatusMessage[] = [];
  sendStatus(status: StatusMessage): void {
    this.sent.push(status);
  }
  summary(): string[] {
    return this.sent.map((s) => `${s.ref?.name}:${JSON.stringify(JSON.parse(Buffer.from(s.status!).toString()))}`);
  }
}

/** A transport end whose `send` reports a full buffer while `full`, and drains on demand. */
class ManualStream implements GatewayStream {
  full = false;
  readonly sent: fedgate.v1.IMemberMessage[] = [];
  private drain: (() => void) | undefined;
  send(message: fedgate.v1.IMemberMessage): boolean {
    this.sent.push(message);
    return !this.full;
  }
  onMessage(): void {}
  onDrain(handler: () => void): void {
    this.drain = handler;
  }
  onClose(): void {}
  close(): void {}
  drained(): void {
    this.full = false;
    this.drain?.();
  }
}

describe('member-cluster/agent StatusReporter', () => {
  let store: Store;
  let registry: ResourceRegistry;
  let clock: FakeClock;
  let informers: SharedInformerFactory;
  let reporter: StatusReporter;

  beforeEach(async () => {
    store = await newStore();
    registry = memberRegistry();
    clock = new FakeClock(0);
    informers = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
    reporter = new StatusReporter({ informers, registry, clock, logger: silentLogger, coalesceMs: 100 });
  });

  afterEach(async () => {
    reporter.stop();
    informers.stop();
    await store.close();
  });

  async function setStatus(name: string, status: Record<string, unknown>, generation?: number): Promise<void> {
    const obj = (await stored(store, registry, 'deployments', 'shop', name))!;
    const rev = Number(obj.metadata.resourceVersion);
    delete obj.metadata.resourceVersion;
    obj.status = status;
    if (generation !== undefined) obj.metadata.generation = generation;
    await store.update(`/registry/apps/deployments/shop/${name}`, JSON.stringify(obj), rev);
  }

  async function started(sink: StatusSink): Promise<void> {
    reporter.start();
    reporter.attach(sink);
    informers.start();
    await informers.waitForSync();
    await settle();
  }

  it('reports managed objects of the default kinds found at start, not owned or unmanaged ones', async () => {
    await putObject(store, registry, deployment('shop', 'web', 1));
    await putObject(store, registry, deployment('shop', 'users', 1, 'app:v1', {}));
    await putObject(store, registry, { ...deployment('shop', 'child', 1), metadata: { name: 'child', namespace: 'shop', labels: managedLabels, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } });
    const sink = new TestSink();
    await started(sink);
    assert.deepEqual(sink.sent, []);
    await clock.advance(100);
    assert.deepEqual(sink.summary(), ['web:{}']);
  });

  it('reports generation and observedGeneration', async () => {
    await putObject(store, registry, deployment('shop', 'web', 1));
    const sink = new TestSink();
    await started(sink);
    await setStatus('web', { observedGeneration: 1 }, 2);
    await settle();
    await clock.advance(100);
    const last = sink.sent.at(-1)!;
    assert.equal(last.generation, 2);
    assert.equal(last.observedGeneration, 1);
  });

  it('while the sink is full, keeps only the latest status per object and sends it when writable again', async () => {
    await putObject(store, registry, deployment('shop', 'a', 1));
    await putObject(store, registry, deployment('shop', 'b', 1));
    const sink = new TestSink();
    await started(sink);
    await clock.advance(100);
    assert.equal(sink.sent.length, 2);
    sink.writable = false;
    for (let i = 1; i <= 20; i++) {
      await setStatus('a', { readyReplicas: i });
      await setStatus('b', { readyReplicas: 100 + i });
    }
    await settle();
    await clock.advance(100);
    assert.equal(sink.sent.length, 2, 'nothing sent while full');
    assert.equal(reporter.pending(), 2, 'one entry per object');
    sink.writable = true;
    reporter.flush();
    assert.deepEqual(sink.summary().slice(2).sort(), ['a:{"readyReplicas":20}', 'b:{"readyReplicas":120}']);
    assert.equal(reporter.pending(), 0);
  });

  it('forgets a deleted object', async () => {
    await putObject(store, registry, deployment('shop', 'web', 1));
    const sink = new TestSink();
    await started(sink);
    await setStatus('web', { replicas: 1 });
    await store.delete('/registry/apps/deployments/shop/web');
    await settle();
    await clock.advance(100);
    assert.deepEqual(sink.sent, []);
  });

  it('fullRound sends every managed status at once, changed or not', async () => {
    await putObject(store, registry, deployment('shop', 'web', 1));
    const sink = new TestSink();
    await started(sink);
    await clock.advance(100);
    reporter.fullRound();
    reporter.fullRound();
    assert.deepEqual(sink.summary(), ['web:{}', 'web:{}', 'web:{}']);
  });

  describe('over a StreamSender', () => {
    it('holds statuses while the stream is full, drops heartbeats, still sends acks, resumes on drain', async () => {
      await putObject(store, registry, deployment('shop', 'web', 1));
      const stream = new ManualStream();
      const sender = new StreamSender(stream);
      sender.onWritable(() => reporter.flush());
      await started(sender);
      stream.full = true;
      sender.send({ ack: { seq: 1 } }); // the transport says it is now full
      assert.equal(sender.writable, false);
      await clock.advance(100);
      assert.equal(sender.sendHeartbeat({ sentUnixMs: 1 }), false);
      sender.send({ ack: { seq: 2 } });
      await setStatus('web', { readyReplicas: 1 });
      await setStatus('web', { readyReplicas: 2 });
      await settle();
      await clock.advance(100);
      assert.deepEqual(stream.sent.map((m) => Object.keys(m)[0]), ['ack', 'ack'], 'no status, no heartbeat while full');
      stream.drained();
      assert.deepEqual(stream.sent.map((m) => Object.keys(m)[0]), ['ack', 'ack', 'status']);
      assert.equal(JSON.parse(Buffer.from(stream.sent[2]!.status!.status!).toString()).readyReplicas, 2);
      assert.equal(sender.sendHeartbeat({ sentUnixMs: 2 }), true);
    });
  });
});
