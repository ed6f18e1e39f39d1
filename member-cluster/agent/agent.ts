/**
 * The member's end of the protocol: beside the member's control plane, over its store, it
 * takes each stream the connection hands it and
 * - applies the gateway's SyncStart/Apply/Delete/SyncEnd strictly in order, one at a time,
 *   acking every Apply and Delete (the Applier);
 * - reports the status of the objects it manages (the StatusReporter) and, after every
 *   completed resync, all of them;
 * - beats: capacity, free resources and ready endpoints every `heartbeatMs`;
 * - answers Ping with Pong at once.
 *
 * One stream at a time: a new stream replaces the previous one, whose queued messages are
 * then skipped — a new connection always starts with a full resync, and an interrupted
 * resync prunes nothing.
 */
import type { ResourceRegistry } from '../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger, systemClock, type Clock, type Logger } from '../../controller/index.js';
import type { GatewayMessage } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { Applier, type PruneResult } from './applier.js';
import type { GatewayStream } from './gateway-stream.js';
import { DEFAULT_HEARTBEAT_MS, HeartbeatSender, type HeartbeatCapacity } from './heartbeat.js';
import { StatusReporter } from './status-reporter.js';
import { StreamSender } from './stream-sender.js';

/** Options of a MemberAgent. */
export interface MemberAgentOptions {
  /** The member's local store (the one its control plane runs over). */
  store: Store;
  /** The member's registry (`MemberCluster.registry()`). */
  registry: ResourceRegistry;
  clusterName: string;
  /** The member's capacity report (`() => member.capacity()`). */
  capacity: () => HeartbeatCapacity;
  logger?: Logger;
  clock?: Clock;
  heartbeatMs?: number;
  /** Coalescing window of status reports, ms. */
  statusCoalesceMs?: number;
  /** Shared informers to watch through; the agent makes (and runs) its own when absent. */
  informers?: SharedInformerFactory;
}

/** One attached stream. */
interface Link {
  readonly stream: GatewayStream;
  readonly sender: StreamSender;
  open: boolean;
}

/** The member's protocol logic; see the module doc. */
export class MemberAgent {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly applier: Applier;
  private readonly heartbeat: HeartbeatSender;
  private readonly status: StatusReporter;
  private readonly informers: SharedInformerFactory;
  private readonly ownInformers: boolean;
  private link: Link | undefined;
  /** Every gateway message but Ping runs on this chain, one after the other. */
  private chain: Promise<void> = Promise.resolve();
  private started = false;
  private lastPrune: PruneResult | undefined;

  /** Does no I/O. */
  constructor(private readonly options: MemberAgentOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.ownInformers = options.informers === undefined;
    this.informers = options.informers ?? new SharedInformerFactory(options.store, options.registry, { clock: this.clock, logger: this.logger });
    this.status = new StatusReporter({
      informers: this.informers,
      registry: options.registry,
      clock: this.clock,
      logger: this.logger,
      coalesceMs: options.statusCoalesceMs,
    });
    this.applier = new Applier({
      store: options.store,
      registry: options.registry,
      clock: this.clock,
      logger: this.logger,
      onApplied: (r) => this.status.watch(r),
    });
    this.heartbeat = new HeartbeatSender({
      capacity: options.capacity,
      clock: this.clock,
      logger: this.logger,
      intervalMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    });
  }

  /** The sequence number of the last Apply or Delete handled (for `Hello`). */
  get lastAppliedSeq(): number {
    return this.applier.lastAppliedSeq;
  }

  /** True while a stream is attached and open. */
  get connected(): boolean {
    return this.link?.open ?? false;
  }

  /** What the last completed resync pruned. */
  get lastPruneResult(): PruneResult | undefined {
    return this.lastPrune;
  }

  /** Heartbeats sent and dropped so far. */
  heartbeatStats(): { sent: number; dropped: number } {
    return this.heartbeat.stats();
  }

  /** Starts watching the member's objects for status reports; `attach` calls it when needed. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.status.start();
    if (this.ownInformers) this.informers.start();
  }

  /** Takes a new stream to the gateway; the previous one (if any) is closed and forgotten. */
  attach(stream: GatewayStream): void {
    this.start();
    const previous = this.link;
    if (previous) {
      this.endLink(previous);
      previous.stream.close();
    }
    const sender = new StreamSender(stream);
    const link: Link = { stream, sender, open: true };
    this.link = link;
    sender.onWritable(() => {
      if (this.link === link) this.status.flush();
    });
    stream.onMessage((message) => this.receive(link, message));
    stream.onClose((err) => {
      if (!link.open) return;
      this.logger.info({ cluster: this.options.clusterName, err }, 'stream to the gateway ended');
      this.endLink(link);
    });
    this.status.attach(sender);
    this.heartbeat.start(sender);
    this.logger.info({ cluster: this.options.clusterName }, 'stream to the gateway attached');
  }

  /** Resolves once every message received so far has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Detaches (closing the stream), stops the heartbeat and status reports, waits for the message in hand. */
  async stop(): Promise<void> {
    const link = this.link;
    if (link) {
      this.endLink(link);
      link.stream.close();
    }
    this.heartbeat.stop();
    this.status.stop();
    if (this.ownInformers && this.started) this.informers.stop();
    this.started = false;
    await this.chain;
  }

  /** Ends a link (one attached stream): nothing more is sent on it, its queued messages are skipped, its resync is forgotten. */
  private endLink(link: Link): void {
    if (!link.open) return;
    link.open = false;
    link.sender.close();
    if (this.link === link) {
      this.link = undefined;
      this.heartbeat.stop();
      this.status.detach();
    }
    this.enqueue(() => this.applier.abortSync());
  }

  private enqueue(job: () => unknown): void {
    this.chain = this.chain.then(job).then(
      () => undefined,
      (err: unknown) => this.logger.error({ err }, 'handling a gateway message failed'),
    );
  }

  private receive(link: Link, message: GatewayMessage): void {
    if (!link.open) return;
    if (message.body === 'ping') {
      link.sender.send({ pong: { pingSentUnixMs: message.ping?.sentUnixMs ?? 0 } });
      return;
    }
    this.enqueue(() => (link.open ? this.handle(link, message) : undefined));
  }

  private async handle(link: Link, message: GatewayMessage): Promise<void> {
    switch (message.body) {
      case 'syncStart':
        this.applier.syncStart(message.syncStart?.epoch ?? 0);
        return;
      case 'apply': {
        const ack = await this.applier.apply(message.apply ?? {});
        link.sender.send({ ack });
        return;
      }
      case 'delete': {
        const ack = await this.applier.delete(message.delete ?? {});
        link.sender.send({ ack });
        return;
      }
      case 'syncEnd': {
        const pruned = await this.applier.syncEnd(message.syncEnd?.epoch ?? 0);
        if (pruned) this.lastPrune = pruned;
        // The stream may have ended while pruning; the next one gets its own round.
        if (link.open) this.status.fullRound();
        return;
      }
      default:
        this.logger.warn({ body: message.body }, 'unknown gateway message ignored');
    }
  }
}
