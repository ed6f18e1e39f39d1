/**
 * In-band renewal of the member's client certificate (ADR 013): when the certificate has
 * lived `renewAtFraction` (default 2/3) of its validity, the member makes a new key pair,
 * sends a CSR for it with Renew on the member port — authenticated by the certificate it is
 * replacing — checks what comes back, and hands it on to be stored and used. The private
 * key never leaves the member; the gateway signs only for the presenting certificate's
 * cluster.
 *
 * `CertificateRenewer` only decides when: one timer, retries with exponential backoff when a
 * renewal fails (gateway unreachable, refused), never past the certificate's expiry.
 */
import type { ServiceError } from '@grpc/grpc-js';
import type { Clock, Logger, TimerHandle } from '../../controller/index.js';
import { federationService, type FederationClient, type RenewRequest, type RenewResponse } from '../../proto/index.js';
import type { CertificateValidity, MemberCredentials } from './credentials.js';
import { createMemberCsr, statusFromGrpcError, verifyIssuedCertificate } from './join.js';

/** Renew when this fraction of the certificate's validity has passed. */
export const DEFAULT_RENEW_AT_FRACTION = 2 / 3;
/** Never renew sooner than this after the last attempt (a clock far ahead cannot make it spin). */
export const MIN_RENEW_DELAY_MS = 1_000;
/** First retry after a failed renewal. */
export const RENEW_RETRY_INITIAL_MS = 1_000;
/** Longest wait between renewal retries. */
export const RENEW_RETRY_MAX_MS = 5 * 60_000;
/** Deadline of one Renew call. */
export const RENEW_TIMEOUT_MS = 10_000;
/** Longest delay a Node timer takes (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When a certificate is due for renewal (ms since the epoch). */
export function renewalTime(validity: Pick<CertificateValidity, 'notBefore' | 'notAfter'>, fraction = DEFAULT_RENEW_AT_FRACTION): number {
  return validity.notBefore + fraction * (validity.notAfter - validity.notBefore);
}

/** Checks a renewal fraction: strictly between 0 and 1. */
export function validRenewFraction(fraction: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`the renewal point must be a fraction of the certificate lifetime in (0, 1), got ${fraction}`);
  return fraction;
}

/** A renewed key and certificate, checked, not yet stored. */
export interface RenewedCertificate {
  keyPem: string;
  certPem: string;
}

/**
 * Asks the gateway for the member's next certificate over `client` (a channel that presents
 * the current certificate): a fresh key pair, a CSR for the cluster, Renew; the answer must
 * be signed by the CA the member trusts, for the new key and the same cluster. StatusErrors
 * as the gateway refused (Forbidden once unjoined) or as the call failed.
 */
export async function requestRenewedCertificate(
  client: InstanceType<typeof FederationClient>,
  credentials: Pick<MemberCredentials, 'clusterName' | 'caPem'>,
  address: string,
  timeoutMs = RENEW_TIMEOUT_MS,
): Promise<RenewedCertificate> {
  const { keyPem, csrPem, publicKeySpki } = await createMemberCsr(credentials.clusterName);
  const res = await new Promise<RenewResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      federationService.renew.path,
      federationService.renew.requestSerialize,
      federationService.renew.responseDeserialize,
      { csrPem } as RenewRequest,
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null, value?: RenewResponse) => (err ? reject(statusFromGrpcError(err, address)) : resolve(value as RenewResponse)),
    );
  });
  // Checked against the CA the member already trusts: a renewal never changes whom it trusts.
  verifyIssuedCertificate(res.certificatePem, credentials.caPem, publicKeySpki, credentials.clusterName);
  return { keyPem, certPem: res.certificatePem };
}

/** Options of `CertificateRenewer`. */
export interface CertificateRenewerOptions {
  clock: Clock;
  logger: Logger;
  clusterName: string;
  /** Renewal point as a fraction of the validity (default 2/3). */
  renewAtFraction?: number;
  /** One renewal (request, store, use); resolves with the new certificate's validity. */
  renew: () => Promise<CertificateValidity>;
}

/** Decides when the member's certificate is renewed; see the module doc. */
export class CertificateRenewer {
  private readonly fraction: number;
  private timer: TimerHandle | undefined;
  private stopped = true;
  private failures = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: CertificateRenewerOptions) {
    this.fraction = validRenewFraction(options.renewAtFraction ?? DEFAULT_RENEW_AT_FRACTION);
  }

  /** Starts with the certificate in use now. */
  start(current: CertificateValidity): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleFor(current, true);
  }

  /** Cancels the timer; a renewal already running finishes (`renew` decides what it keeps) but schedules nothing. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** Resolves when no renewal is running (tests and shutdown). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  private scheduleFor(validity: CertificateValidity, first: boolean): void {
    const now = this.options.clock.now();
    if (now >= validity.notAfter) {
      this.options.logger.error(
        { cluster: this.options.clusterName, serial: validity.serial, notAfter: new Date(validity.notAfter).toISOString() },
        'the member certificate has expired and cannot be renewed; join again with a new bootstrap token',
      );
      return;
    }
    const due = renewalTime(validity, this.fraction);
    const delay = Math.max(due - now, first ? 0 : MIN_RENEW_DELAY_MS);
    this.options.logger.info(
      { cluster: this.options.clusterName, serial: validity.serial, renewAt: new Date(now + delay).toISOString(), notAfter: new Date(validity.notAfter).toISOString() },
      'member certificate renewal scheduled',
    );
    this.arm(now + delay, validity);
  }

  private arm(at: number, validity: CertificateValidity): void {
    this.clearTimer();
    if (this.stopped) return;
    const left = at - this.options.clock.now();
    this.timer = this.options.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (at - this.options.clock.now() > 0) this.arm(at, validity);
        else this.run(validity);
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  }

  private run(validity: CertificateValidity): void {
    if (this.stopped || this.inFlight) return;
    this.inFlight = this.options
      .renew()
      .then(
        (next) => {
          this.failures = 0;
          if (!this.stopped) this.scheduleFor(next, false);
        },
        (err: unknown) => {
          const now = this.options.clock.now();
          const backoff = Math.min(RENEW_RETRY_MAX_MS, RENEW_RETRY_INITIAL_MS * 2 ** Math.min(this.failures, 20));
          this.failures++;
          // Retry before expiry: at most half the time left, at least the minimum delay.
          const delay = Math.max(MIN_RENEW_DELAY_MS, Math.min(backoff, (validity.notAfter - now) / 2));
          this.options.logger.warn(
            { cluster: this.options.clusterName, serial: validity.serial, err: err instanceof Error ? err.message : String(err), retryInMs: Math.round(delay) },
            'member certificate renewal failed',
          );
          if (this.stopped) return;
          if (now >= validity.notAfter) this.scheduleFor(validity, false); // says it expired, schedules nothing
          else this.arm(now + delay, validity);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
