/**
 * Cluster IP bookkeeping of the service proxy: which Service holds which address of the
 * service range. The truth is `spec.clusterIP` in the store; this view is rebuilt from it
 * on start (oldest Service first, so a duplicate goes to the younger one).
 */
import { cidrContains, IpAllocator, type Cidr } from '../ip-allocator.js';

/** The `spec.clusterIP` of a headless Service. */
export const CLUSTER_IP_NONE = 'None';

/** Outcome of `ClusterIps.assign`. */
export interface Assignment {
  ip: string;
  /** Why the requested address was not given, when it was not. */
  refused?: string;
}

/** Service key → cluster IP, over an IpAllocator of the service range. */
export class ClusterIps {
  private readonly allocator: IpAllocator;
  private readonly byService = new Map<string, string>();
  private readonly byIp = new Map<string, string>();

  constructor(readonly cidr: Cidr) {
    this.allocator = new IpAllocator(cidr);
  }

  /** The address held by a Service. */
  get(serviceKey: string): string | undefined {
    return this.byService.get(serviceKey);
  }

  /** The Service holding an address. */
  holder(ip: string): string | undefined {
    return this.byIp.get(ip);
  }

  /**
   * The address of a Service that asks for `requested` (its current `spec.clusterIP`, or
   * nothing): kept when it already holds it; granted when in range and free; otherwise the
   * address it holds, or a fresh one, with the reason the request was refused.
   */
  assign(serviceKey: string, requested: string | undefined): Assignment {
    const held = this.byService.get(serviceKey);
    if (requested && requested === held) return { ip: held };
    let refused: string | undefined;
    if (requested) {
      if (!cidrContains(this.cidr, requested)) refused = `${requested} is not in the service range ${this.cidr.text}`;
      else if (this.byIp.has(requested)) refused = `${requested} is already allocated to ${this.byIp.get(requested)}`;
      else if (!this.allocator.markUsed(requested)) refused = `${requested} cannot be allocated in ${this.cidr.text}`;
      else {
        this.release(serviceKey);
        this.hold(serviceKey, requested);
        return { ip: requested };
      }
    }
    if (held) return { ip: held, refused };
    const ip = this.allocator.allocate();
    this.hold(serviceKey, ip);
    return { ip, refused };
  }

  /** Frees the address of a Service (deleted, or turned headless). */
  release(serviceKey: string): void {
    const ip = this.byService.get(serviceKey);
    if (ip === undefined) return;
    this.byService.delete(serviceKey);
    this.byIp.delete(ip);
    this.allocator.release(ip);
  }

  private hold(serviceKey: string, ip: string): void {
    this.byService.set(serviceKey, ip);
    this.byIp.set(ip, serviceKey);
  }
}
