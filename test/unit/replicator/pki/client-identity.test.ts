import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import {
  GATEWAY_PROXY_GROUP,
  GATEWAY_PROXY_USER,
  GatewayPki,
  RenewingClientIdentity,
  type CertificateKeyPair,
  type ClientCertificateSubject,
} from '../../../../replicator/pki/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';

const HOUR = 3_600_000;

describe('replicator/pki RenewingClientIdentity', () => {
  let dir: string;
  let pki: GatewayPki;
  /** Certificates issued ahead by the real PKI, handed out in order (issuing takes real crypto time the fake clock does not wait for). */
  const pool: CertificateKeyPair[] = [];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-client-identity-'));
    pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    for (let i = 0; i < 8; i++) pool.push(await pki.issueClientCertificate({ commonName: GATEWAY_PROXY_USER, organizations: [GATEWAY_PROXY_GROUP] }, 3 * HOUR));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Hands out the pool's certificates and counts the calls; fails on demand. */
  function issuer(): { issue: (s: ClientCertificateSubject, ms: number) => Promise<CertificateKeyPair>; calls: number[]; failNext: boolean } {
    let next = 0;
    const state = {
      calls: [] as number[],
      failNext: false,
      issue: async (_subject: ClientCertificateSubject, lifetimeMs: number): Promise<CertificateKeyPair> => {
        state.calls.push(lifetimeMs);
        if (state.failNext) {
          state.failNext = false;
          throw new Error('the CA key cannot be read');
        }
        return pool[next++ % pool.length]!;
      },
    };
    return state;
  }

  it('issues at start, then renews at 2/3 of the lifetime with a new key', async () => {
    const clock = new FakeClock();
    const source = issuer();
    const identity = new RenewingClientIdentity({
      issue: source.issue,
      subject: { commonName: GATEWAY_PROXY_USER, organizations: [GATEWAY_PROXY_GROUP] },
      lifetimeMs: 3 * HOUR,
      clock,
    });
    assert.throws(() => identity.current(), /not been issued/);
    await identity.start();
    const first = identity.current();
    assert.equal(new X509Certificate(first.certPem).subject.split('\n').sort().join(','), 'CN=system:fedgate-gateway,O=system:masters');
    await clock.advance(2 * HOUR - 1);
    assert.equal(identity.current(), first, 'not yet');
    await clock.advance(1);
    const second = identity.current();
    assert.notEqual(second.keyPem, first.keyPem);
    assert.deepEqual(source.calls, [3 * HOUR, 3 * HOUR]);
    await clock.advance(2 * HOUR);
    assert.notEqual(identity.current(), second, 'and again two hours later');
    identity.stop();
    assert.equal(clock.pending(), 0);
  });

  it('keeps the current certificate when a renewal fails, and retries', async () => {
    const clock = new FakeClock();
    const source = issuer();
    const identity = new RenewingClientIdentity({ issue: source.issue, subject: { commonName: 'u' }, lifetimeMs: 3 * HOUR, retryMs: 60_000, clock });
    await identity.start();
    const first = identity.current();
    source.failNext = true;
    await clock.advance(2 * HOUR);
    assert.equal(identity.current(), first);
    assert.equal(source.calls.length, 2);
    await clock.advance(60_000);
    assert.equal(source.calls.length, 3);
    assert.notEqual(identity.current(), first);
    identity.stop();
  });

  it('fails to start when the first certificate cannot be issued, and cannot start twice', async () => {
    const source = issuer();
    source.failNext = true;
    const identity = new RenewingClientIdentity({ issue: source.issue, subject: { commonName: 'u' }, clock: new FakeClock() });
    await assert.rejects(identity.start(), /the CA key cannot be read/);
    await assert.rejects(identity.start(), /cannot start a client identity that is running/);
  });
});
