import assert from 'node:assert/strict';
import { silentLogger, type Logger } from '../../../../controller/index.js';
import {
  CertificateRenewer,
  DEFAULT_RENEW_AT_FRACTION,
  MIN_RENEW_DELAY_MS,
  RENEW_RETRY_INITIAL_MS,
  RENEW_RETRY_MAX_MS,
  renewalTime,
  validRenewFraction,
  type CertificateValidity,
} from '../../../../member-cluster/agent/transport.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';

const DAY = 86_400_000;

describe('member-cluster/agent certificate renewal schedule', () => {
  it('renews at 2/3 of the validity by default, or at the fraction given', () => {
    assert.equal(DEFAULT_RENEW_AT_FRACTION, 2 / 3);
    assert.equal(renewalTime({ notBefore: 0, notAfter: 30 * DAY }), 20 * DAY);
    assert.equal(renewalTime({ notBefore: 1000, notAfter: 5000 }, 0.5), 3000);
    for (const bad of [0, 1, -0.1, 1.5, Number.NaN]) assert.throws(() => validRenewFraction(bad), RangeError, String(bad));
    assert.equal(validRenewFraction(0.9), 0.9);
  });

  describe('CertificateRenewer (injected clock)', () => {
    let clock: FakeClock;
    let errors: string[];
    let warnings: Record<string, unknown>[];
    let logger: Logger;
    const cert = (serial: string, notBefore: number, lifetime: number): CertificateValidity => ({ serial, notBefore, notAfter: notBefore + lifetime });

    beforeEach(() => {
      clock = new FakeClock(1_000_000);
      errors = [];
      warnings = [];
      logger = { ...silentLogger, error: (_f, msg) => errors.push(msg), warn: (f) => warnings.push(f) };
    });

    it('renews when due, then schedules by the new certificate, across several rotations', async () => {
      const calls: number[] = [];
      let serial = 0;
      const renewer = new CertificateRenewer({
        clock,
        logger,
        clusterName: 'eu',
        renew: async () => {
          calls.push(clock.now());
          return cert(`s${++serial}`, clock.now(), 3_000);
        },
      });
      renewer.start(cert('s0', clock.now(), 3_000));
      assert.equal(clock.nextAt(), clock.now() + 2_000);
      await clock.advance(1_999);
      assert.equal(calls.length, 0);
      await clock.advance(1);
      await renewer.idle();
      assert.deepEqual(calls, [1_002_000]);
      await clock.advance(2_000);
      await renewer.idle();
      await clock.advance(2_000);
      await renewer.idle();
      assert.deepEqual(calls, [1_002_000, 1_004_000, 1_006_000]);
      renewer.stop();
      assert.equal(clock.pending(), 0);
      await clock.advance(10_000);
      assert.equal(calls.length, 3);
    });

    it('renews soon after start when the certificate is already past its renewal point', async () => {
      let calls = 0;
      const renewer = new CertificateRenewer({ clock, logger, clusterName: 'eu', renew: async () => (calls++, cert('n', clock.now(), 30 * DAY)) });
      renewer.start(cert('old', clock.now() - 25 * DAY, 30 * DAY));
      assert.equal(clock.nextAt(), clock.now());
      await clock.advance(0);
      await renewer.idle();
      assert.equal(calls, 1);
      assert.equal(clock.nextAt(), clock.now() + 20 * DAY);
      renewer.stop();
    });

    it('never renews sooner than the minimum delay after a renewal, whatever the certificate says', async () => {
      let calls = 0;
      // A gateway clock far behind: every new certificate looks past its renewal point already.
      const renewer = new CertificateRenewer({ clock, logger, clusterName: 'eu', renew: async () => (calls++, cert('n', clock.now() - 9_000, 10_000)) });
      renewer.start(cert('old', clock.now() - 9_000, 10_000));
      await clock.advance(0);
      await renewer.idle();
      assert.equal(calls, 1);
      assert.equal(clock.nextAt(), clock.now() + MIN_RENEW_DELAY_MS);
      renewer.stop();
    });

    it('retries a failed renewal with a growing delay, never later than halfway to expiry, and gives up once expired', async () => {
      const attempts: number[] = [];
      const renewer = new CertificateRenewer({
        clock,
        logger,
        clusterName: 'eu',
        renew: async () => {
          attempts.push(clock.now());
          throw new Error('gateway unreachable');
        },
      });
      const start = clock.now();
      renewer.start(cert('s0', start, 120_000));
      await clock.advance(80_000);
      await renewer.idle();
      assert.equal(attempts.length, 1);
      assert.equal(clock.nextAt(), clock.now() + RENEW_RETRY_INITIAL_MS);
      for (let i = 0; i < 4; i++) {
        await clock.advance(clock.nextAt()! - clock.now());
        await renewer.idle();
      }
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      assert.deepEqual(gaps, [1_000, 2_000, 4_000, 8_000]);
      // 15 s after the first failure, 25 s of validity left: the next try (16 s by backoff) is halfway there.
      assert.equal(clock.now(), start + 95_000);
      assert.equal(clock.nextAt()! - clock.now(), 12_500);
      while (clock.nextAt() !== undefined) {
        await clock.advance(clock.nextAt()! - clock.now());
        await renewer.idle();
        await flush();
      }
      assert.ok(clock.now() >= start + 120_000);
      assert.deepEqual(errors, ['the member certificate has expired and cannot be renewed; join again with a new bootstrap token']);
      assert.ok(warnings.every((w) => w['err'] === 'gateway unreachable'));
      const last = attempts.at(-1)!;
      await clock.advance(RENEW_RETRY_MAX_MS);
      assert.equal(attempts.at(-1), last, 'no attempts after expiry');
      renewer.stop();
    });

    it('waits in steps for renewal points further away than a timer can (30-day certificates and longer)', async () => {
      let calls = 0;
      const renewer = new CertificateRenewer({ clock, logger, clusterName: 'eu', renew: async () => (calls++, cert('n', clock.now(), 90 * DAY)) });
      renewer.start(cert('s0', clock.now(), 90 * DAY));
      assert.ok(clock.nextAt()! - clock.now() <= 2 ** 31 - 1, 'a Node timer cannot wait longer');
      await clock.advance(60 * DAY - 1);
      await renewer.idle();
      assert.equal(calls, 0);
      await clock.advance(1);
      await renewer.idle();
      assert.equal(calls, 1);
      renewer.stop();
    });
  });
});
