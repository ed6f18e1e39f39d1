/**
 * A scripted member for replicator unit tests: the member's end of an in-process stream
 * pair that says Hello, records every gateway message and acknowledges Applies and Deletes
 * (optionally refusing some), like the real agent would.
 */
import type { KubeObject } from '../../../apimachinery/index.js';
import type { GatewayMessage } from '../../../proto/index.js';
import type { GatewayStream } from '../../../member-cluster/agent/gateway-stream.js';
import type { MemberStream } from '../../../replicator/member-stream.js';
import { streamPair } from '../../fixtures/stream-pair.js';

/** One gateway message as the member saw it. */
export type Seen =
  | { type: 'syncStart'; epoch: number }
  | { type: 'syncEnd'; epoch: number }
  | { type: 'apply'; seq: number; object: KubeObject; overwrite: boolean }
  | { type: 'delete'; seq: number; ref: { apiVersion: string; kind: string; namespace: string; name: string } }
  | { type: 'ping' };

/** A member that acknowledges what it gets. */
export class ScriptedMember {
  readonly seen: Seen[] = [];
  readonly stream: MemberStream;
  readonly gateway: GatewayStream;
  private readonly closedFn: () => boolean;
  /** Return an error string to refuse an Apply. */
  refuse: (obj: KubeObject, overwrite: boolean) => { error: string; reason: string } | undefined = () => undefined;
  ack = true;

  constructor(readonly cluster: string) {
    const pair = streamPair(cluster);
    this.stream = pair.member;
    this.gateway = pair.gateway;
    this.closedFn = pair.closed;
    this.gateway.onMessage((m) => this.receive(m));
  }

  hello(lastAppliedSeq = 0): void {
    this.gateway.send({ hello: { clusterName: this.cluster, lastAppliedSeq } });
  }

  closed(): boolean {
    return this.closedFn();
  }

  /** Messages of one type. */
  of<T extends Seen['type']>(type: T): Extract<Seen, { type: T }>[] {
    return this.seen.filter((s) => s.type === type) as Extract<Seen, { type: T }>[];
  }

  applied(kind?: string): KubeObject[] {
    return this.of('apply')
      .map((a) => a.object)
      .filter((o) => !kind || o.kind === kind);
  }

  private receive(m: GatewayMessage): void {
    if (m.syncStart) this.seen.push({ type: 'syncStart', epoch: m.syncStart.epoch ?? 0 });
    else if (m.syncEnd) this.seen.push({ type: 'syncEnd', epoch: m.syncEnd.epoch ?? 0 });
    else if (m.ping) this.seen.push({ type: 'ping' });
    else if (m.apply) {
      const object = JSON.parse(new TextDecoder().decode(m.apply.object!)) as KubeObject;
      const seq = m.apply.seq ?? 0;
      const overwrite = Boolean(m.apply.overwrite);
      this.seen.push({ type: 'apply', seq, object, overwrite });
      if (!this.ack) return;
      const refused = this.refuse(object, overwrite);
      const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
      this.gateway.send({ ack: { seq, ref, observedGeneration: refused ? 0 : 1, error: refused?.error ?? '', reason: refused?.reason ?? '' } });
    } else if (m.delete) {
      const ref = m.delete.ref!;
      const seq = m.delete.seq ?? 0;
      this.seen.push({ type: 'delete', seq, ref: { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', namespace: ref.namespace ?? '', name: ref.name ?? '' } });
      if (this.ack) this.gateway.send({ ack: { seq, ref } });
    }
  }
}
