import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  backoffDelay,
  canTransition,
  ConnectionState,
  GatewayConnection,
  INITIAL_BACKOFF_MS,
  isRefusal,
  MAX_BACKOFF_MS,
  REFUSED_INITIAL_BACKOFF_MS,
  REFUSED_MAX_BACKOFF_MS,
} from '../../../../member-cluster/agent/transport.js';
import { StatusError, StatusReason } from '../../../../apimachinery/index.js';
import { GatewayPki, x509, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM } from '../../../../replicator/pki/index.js';
import { webcrypto } from 'node:crypto';
import { FakeClock } from '../../../fixtures/fake-clock.js';

const S = ConnectionState;

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('member-cluster/agent GatewayConnection', () => {
  it('allows only the documented transitions', () => {
    assert.ok(canTransition(S.Idle, S.Connecting));
    assert.ok(canTransition(S.Connecting, S.Connected));
    assert.ok(canTransition(S.Connecting, S.Backoff));
    assert.ok(canTransition(S.Connected, S.Backoff));
    assert.ok(canTransition(S.Backoff, S.Connecting));
    for (const s of Object.values(S)) if (s !== S.Stopped) assert.ok(canTransition(s, S.Stopped), s);
    assert.equal(canTransition(S.Idle, S.Connected), false);
    assert.equal(canTransition(S.Backoff, S.Connected), false);
    assert.equal(canTransition(S.Connected, S.Connecting), false);
    for (const s of Object.values(S)) assert.equal(canTransition(S.Stopped, s), false, s);
  });

  it('backs off exponentially from 100 ms to 5 s, with jitter below the nominal delay', () => {
    const top = () => 0; // random() = 0: no jitter
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, top)),
      [100, 200, 400, 800, 1600, 3200, 5000, 5000],
    );
    assert.equal(backoffDelay(1000, top), MAX_BACKOFF_MS);
    assert.equal(backoffDelay(0, () => 0.999999) < INITIAL_BACKOFF_MS, true);
    assert.ok(backoffDelay(0, () => 0.999999) >= INITIAL_BACKOFF_MS * 0.8);
    assert.ok(backoffDelay(20, () => 0.5) < MAX_BACKOFF_MS, 'the cap is jittered too');
  });

  it('treats PERMISSION_DENIED and UNAUTHENTICATED as refusals, retried from 5 s up to 5 min', () => {
    assert.equal(isRefusal(new StatusError(StatusReason.Forbidden, 'cluster a was unjoined')), true);
    assert.equal(isRefusal(new StatusError(StatusReason.Unauthorized, 'certificate expired')), true);
    for (const r of [StatusReason.ServiceUnavailable, StatusReason.Conflict, StatusReason.Timeout, StatusReason.InternalError]) {
      assert.equal(isRefusal(new StatusError(r, 'x')), false, r);
    }
    assert.equal(isRefusal(new Error('plain')), false);
    assert.equal(isRefusal(undefined), false);
    const top = () => 0;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, top, REFUSED_INITIAL_BACKOFF_MS, REFUSED_MAX_BACKOFF_MS)),
      [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000],
    );
  });

  it('needs a data directory to rotate its certificate', () => {
    const conn = new GatewayConnection({
      memberAddress: '127.0.0.1:9',
      clusterName: 'a',
      credentials: { clusterName: 'a', keyPem: '', certPem: '', caPem: '' },
      onStream: () => {},
      rotateCertificate: true,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    assert.throws(() => conn.start(), /certificate rotation needs credentials loaded from a data directory/);
  });

  describe('against an address where nothing listens', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-conn-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('goes to Backoff, waits on the injected clock, dials again, and stops for good', async () => {
      const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
      const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=a', keys, signingAlgorithm: EC_SIGNING_ALGORITHM });
      const certPem = await pki.signMemberCsr(csr.toString('pem'), 'a');
      const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
      const clock = new FakeClock();
      const states: ConnectionState[] = [];
      const conn = new GatewayConnection({
        memberAddress: '127.0.0.1:9',
        clusterName: 'a',
        credentials: { clusterName: 'a', keyPem, certPem, caPem: pki.caPem },
        onStream: () => assert.fail('no stream expected'),
        clock,
        random: () => 0,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        onStateChange: (s) => states.push(s),
      });
      try {
        conn.start();
        assert.equal(conn.state, S.Connecting);
        await until(() => conn.state === S.Backoff, 'first failure');
        assert.equal(clock.nextAt(), clock.now() + 100);
        await clock.advance(99);
        assert.equal(conn.state, S.Backoff);
        await clock.advance(1);
        // The timer dialled again (the refusal may already have come back by now).
        assert.deepEqual(states.slice(0, 3), [S.Connecting, S.Backoff, S.Connecting]);
        await until(() => conn.state === S.Backoff && states.length === 4, 'second failure');
        assert.equal(clock.nextAt(), clock.now() + 200);
        assert.equal(conn.consecutiveFailures, 2);
      } finally {
        conn.stop();
      }
      assert.equal(conn.state, S.Stopped);
      assert.equal(clock.pending(), 0);
      assert.deepEqual(states, [S.Connecting, S.Backoff, S.Connecting, S.Backoff, S.Stopped]);
      conn.start();
      assert.equal(conn.state, S.Stopped);
    });
  });
});
