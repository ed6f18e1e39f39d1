/**
 * A client certificate kept only in memory and renewed before it expires: the gateway's
 * identity towards member APIs (`CN=system:fedgate-gateway, O=system:masters`), which its
 * `clusters/{name}/proxy` presents. Never written to disk, so a copy of the data directory
 * does not carry it; a restart issues a new one. Renewal runs at 2/3 of the lifetime (as
 * member certificates, ADR 013); a failed renewal keeps the current certificate and is
 * retried after `retryMs`, never later than its expiry.
 */
import { systemClock, type Clock, type Logger, type TimerHandle } from '../../controller/index.js';
import type { CertificateKeyPair, ClientCertificateSubject } from './gateway-pki.js';

/** User the gateway's proxy identity names on member APIs. */
export const GATEWAY_PROXY_USER = 'system:fedgate-gateway';
/** Group of the gateway's proxy identity: members' RBAC lets it do anything (cluster-admin's binding). */
export const GATEWAY_PROXY_GROUP = 'system:masters';
/** Lifetime of the gateway's proxy certificate. */
export const DEFAULT_CLIENT_IDENTITY_LIFETIME_MS = 24 * 3_600_000;
/** A failed renewal is retried after this long. */
export const CLIENT_IDENTITY_RETRY_MS = 60_000;
/** Renewal point as a fraction of the lifetime. */
const RENEW_AT_FRACTION = 2 / 3;
/** setTimeout takes at most 2^31-1 ms; longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Issues one certificate; `GatewayPki.issueClientCertificate` bound to a subject. */
export type ClientCertificateIssuer = (subject: ClientCertificateSubject, lifetimeMs: number) => Promise<CertificateKeyPair>;

/** Options of `RenewingClientIdentity`. */
export interface RenewingClientIdentityOptions {
  issue: ClientCertificateIssuer;
  subject: ClientCertificateSubject;
  /** Lifetime of each certificate (default one day). */
  lifetimeMs?: number;
  retryMs?: number;
  clock?: Clock;
  logger?: Logger;
}

type IdentityState = 'new' | 'running' | 'stopped';

/** A client certificate in memory, renewed in the background; see the module doc. */
export class RenewingClientIdentity {
  private pair: CertificateKeyPair | undefined;
  private issuedAt = 0;
  private timer: TimerHandle | undefined;
  private state: IdentityState = 'new';
  private readonly clock: Clock;
  private readonly lifetimeMs: number;

  /** Does no I/O. */
  constructor(private readonly options: RenewingClientIdentityOptions) {
    this.clock = options.clock ?? systemClock;
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_CLIENT_IDENTITY_LIFETIME_MS;
  }

  /** Issues the first certificate and schedules its renewal. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`cannot start a client identity that is ${this.state}`);
    this.state = 'running';
    await this.renew();
  }

  /** The current certificate and key; throws before `start` resolved. */
  current(): CertificateKeyPair {
    if (!this.pair) throw new Error('the client identity has not been issued yet');
    return this.pair;
  }

  /** Cancels the renewal timer; the current certificate stays readable until it expires. */
  stop(): void {
    this.state = 'stopped';
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    const now = this.clock.now();
    try {
      this.pair = await this.options.issue(this.options.subject, this.lifetimeMs);
      this.issuedAt = now;
      this.options.logger?.debug({ user: this.options.subject.commonName }, 'client certificate issued');
      this.arm(this.lifetimeMs * RENEW_AT_FRACTION);
    } catch (err) {
      // The first issuance failing is fatal to start(); later ones keep the current pair.
      if (!this.pair) throw err;
      const left = this.issuedAt + this.lifetimeMs - now;
      this.options.logger?.warn({ err, user: this.options.subject.commonName }, 'client certificate renewal failed; retrying');
      this.arm(Math.max(0, Math.min(this.options.retryMs ?? CLIENT_IDENTITY_RETRY_MS, left)));
    }
  }

  private arm(delayMs: number): void {
    if (this.state !== 'running') return;
    const due = this.clock.now() + delayMs;
    const tick = (): void => {
      this.timer = undefined;
      if (this.state !== 'running') return;
      const left = due - this.clock.now();
      if (left > 0) {
        this.timer = this.clock.setTimeout(tick, Math.min(left, MAX_TIMER_MS));
        return;
      }
      void this.renew();
    };
    this.timer = this.clock.setTimeout(tick, Math.min(delayMs, MAX_TIMER_MS));
  }
}
