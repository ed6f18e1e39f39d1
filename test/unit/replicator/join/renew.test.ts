import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusError, StatusReason, type Cluster } from '../../../../apimachinery/index.js';
import {
  CLIENT_CERTIFICATE_ANNOTATION,
  CLIENT_CERTIFICATE_NOT_AFTER_ANNOTATION,
  CLIENT_CERTIFICATE_SERIAL_ANNOTATION,
  PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION,
  checkMemberCertificate,
  clusterKey,
  createToken,
  recordRenewedCertificate,
  RegisterHandler,
  RenewHandler,
  retirePreviousCertificate,
} from '../../../../replicator/join/index.js';
import { EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, GatewayPki, x509, type MemberCertificate } from '../../../../replicator/pki/index.js';
import { SqliteStore } from '../../../../store/index.js';

async function makeCsr(subject = 'CN=eu-west'): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  return (await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: EC_SIGNING_ALGORITHM })).toString('pem');
}

function reason(expected: string, message?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.reason, expected, err.message);
    if (message) assert.match(err.message, message);
    return true;
  };
}

describe('replicator/join RenewHandler and the Cluster certificate record', () => {
  let dir: string;
  let store: SqliteStore;
  let pki: GatewayPki;
  let renew: RenewHandler;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-renew-'));
    pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    store = SqliteStore.open({ path: path.join(dir, `fed-${Math.random()}.db`) });
    renew = new RenewHandler({ store, pki, memberCertificateLifetimeMs: 60_000 });
  });
  afterEach(async () => store.close());

  /** Joins `name` and returns its certificate as the member port would see it. */
  async function join(name: string): Promise<MemberCertificate> {
    const t = await createToken(store, { ttlSeconds: 60 });
    const res = await new RegisterHandler({ store, pki }).handle({ token: t.token, clusterName: name, csrPem: await makeCsr(`CN=${name}`) });
    const cert = pki.memberCertificateOf(res.certificatePem ?? '');
    assert.ok(cert);
    return cert;
  }

  async function annotations(name: string): Promise<Record<string, string>> {
    return (JSON.parse((await store.get(clusterKey(name)))!.value) as Cluster).metadata.annotations ?? {};
  }

  it('issues a certificate for the presenting cluster and records it as current, the presenting one as previous', async () => {
    const first = await join('eu-west');
    assert.equal(await checkMemberCertificate(store, 'eu-west', first.fingerprint), 'current');
    const res = await renew.handle(first, { csrPem: await makeCsr('CN=eu-west') });
    const second = pki.memberCertificateOf(res.certificatePem ?? '');
    assert.ok(second);
    assert.equal(second.cluster, 'eu-west');
    assert.equal(res.caPem, pki.caPem);
    assert.ok(second.notAfter - second.notBefore <= 60_000 + 6_000, 'the configured lifetime (plus the backdate)');
    const a = await annotations('eu-west');
    assert.equal(a[CLIENT_CERTIFICATE_ANNOTATION], second.fingerprint);
    assert.equal(a[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION], first.fingerprint);
    assert.equal(a[CLIENT_CERTIFICATE_SERIAL_ANNOTATION], second.serial);
    assert.equal(Date.parse(a[CLIENT_CERTIFICATE_NOT_AFTER_ANNOTATION] ?? ''), second.notAfter);
    // During the overlap both are accepted.
    assert.equal(await checkMemberCertificate(store, 'eu-west', second.fingerprint), 'current');
    assert.equal(await checkMemberCertificate(store, 'eu-west', first.fingerprint), 'previous');
  });

  it('a subject-less CSR is fine: the cluster comes from the presenting certificate', async () => {
    const first = await join('eu-west');
    const res = await renew.handle(first, { csrPem: await makeCsr('O=whatever') });
    assert.equal(pki.clusterNameOf(res.certificatePem ?? ''), 'eu-west');
  });

  it('refuses a CSR naming another cluster with PERMISSION_DENIED, and changes nothing', async () => {
    const a = await join('cluster-a');
    await join('cluster-b');
    const before = { a: await annotations('cluster-a'), b: await annotations('cluster-b') };
    await assert.rejects(renew.handle(a, { csrPem: await makeCsr('CN=cluster-b') }), reason(StatusReason.Forbidden, /^certificate is for cluster cluster-a, not cluster-b$/));
    assert.deepEqual({ a: await annotations('cluster-a'), b: await annotations('cluster-b') }, before);
  });

  it('refuses the same key again, a missing CSR and a forged one', async () => {
    const first = await join('eu-west');
    const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
    const csr = (await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=eu-west', keys, signingAlgorithm: EC_SIGNING_ALGORITHM })).toString('pem');
    const sameKey = { ...first, publicKeySpki: Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)) };
    await assert.rejects(renew.handle(sameKey, { csrPem: csr }), reason(StatusReason.BadRequest, /new key pair/));
    await assert.rejects(renew.handle(first, {}), reason(StatusReason.BadRequest, /csr_pem is required/));
    await assert.rejects(renew.handle(first, { csrPem: 'not a csr' }), reason(StatusReason.BadRequest, /not a PEM certificate request/));
  });

  it('refuses an unjoined cluster and a certificate that is neither current nor previous', async () => {
    const first = await join('eu-west');
    const second = pki.memberCertificateOf((await renew.handle(first, { csrPem: await makeCsr() })).certificatePem ?? '')!;
    await renew.handle(second, { csrPem: await makeCsr() });
    // Two renewals later the first certificate is out.
    await assert.rejects(checkMemberCertificate(store, 'eu-west', first.fingerprint), reason(StatusReason.Forbidden, /was revoked/));
    await assert.rejects(renew.handle(first, { csrPem: await makeCsr() }), reason(StatusReason.Forbidden, /was revoked/));
    await store.delete(clusterKey('eu-west'));
    await assert.rejects(renew.handle(second, { csrPem: await makeCsr() }), reason(StatusReason.Forbidden, /^cluster eu-west is not joined/));
  });

  it('a renewal that lost a race with an unjoin or another renewal records nothing', async () => {
    const first = await join('eu-west');
    const newCert = await pki.signMemberCsr(await makeCsr(), 'eu-west');
    await store.delete(clusterKey('eu-west'));
    await assert.rejects(recordRenewedCertificate(store, 'eu-west', first.fingerprint, newCert), reason(StatusReason.Forbidden, /not joined/));
    assert.equal(await store.get(clusterKey('eu-west')), undefined);

    const again = await join('eu-west');
    const winner = pki.memberCertificateOf((await renew.handle(again, { csrPem: await makeCsr() })).certificatePem ?? '')!;
    await renew.handle(winner, { csrPem: await makeCsr() });
    // `again` is now two generations old: its late renewal must not be recorded.
    await assert.rejects(recordRenewedCertificate(store, 'eu-west', again.fingerprint, newCert), reason(StatusReason.Forbidden, /revoked/));
    assert.notEqual((await annotations('eu-west'))[CLIENT_CERTIFICATE_ANNOTATION], pki.memberCertificateOf(newCert)?.fingerprint);
  });

  it('connecting with the current certificate retires the previous one; the previous one retires nothing', async () => {
    const first = await join('eu-west');
    const second = pki.memberCertificateOf((await renew.handle(first, { csrPem: await makeCsr() })).certificatePem ?? '')!;
    assert.equal(await retirePreviousCertificate(store, 'eu-west', first.fingerprint), false);
    assert.equal(await checkMemberCertificate(store, 'eu-west', first.fingerprint), 'previous');
    assert.equal(await retirePreviousCertificate(store, 'eu-west', second.fingerprint), true);
    assert.equal((await annotations('eu-west'))[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION], undefined);
    await assert.rejects(checkMemberCertificate(store, 'eu-west', first.fingerprint), reason(StatusReason.Forbidden, /revoked/));
    assert.equal(await retirePreviousCertificate(store, 'eu-west', second.fingerprint), false, 'nothing left to retire');
  });

  it('a Cluster without a recorded certificate accepts none', async () => {
    const first = await join('eu-west');
    const kv = (await store.get(clusterKey('eu-west')))!;
    const obj = JSON.parse(kv.value) as Cluster;
    obj.metadata.annotations = {};
    await store.update(clusterKey('eu-west'), JSON.stringify(obj), kv.modRevision);
    await assert.rejects(checkMemberCertificate(store, 'eu-west', first.fingerprint), reason(StatusReason.Forbidden, /no member certificate on record/));
  });
});
