import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isBadRequest } from '../../../../apimachinery/index.js';
import { caCertHash } from '../../../../proto/index.js';
import {
  certificateFingerprint,
  certificateSerial,
  DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS,
  EC_KEY_ALGORITHM,
  EC_SIGNING_ALGORITHM,
  GatewayPki,
  MEMBER_ORGANIZATION,
  readCertificateRequest,
  x509,
} from '../../../../replicator/pki/index.js';

const DAY = 86_400_000;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

async function makeCsr(name: string): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: EC_SIGNING_ALGORITHM });
  return csr.toString('pem');
}

function mode(p: string): number {
  return fs.statSync(p).mode & 0o777;
}

describe('replicator/pki GatewayPki', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-pki-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the CA and serving certificate once, then reloads them', async () => {
    const first = await GatewayPki.loadOrCreate(dir, { hosts: ['10.1.2.3'] });
    const ca = new X509Certificate(first.caPem);
    assert.equal(ca.subject, 'CN=fedgate-ca');
    assert.equal(ca.ca, true);
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * DAY);
    assert.ok(years > 9.9 && years < 10.1, `CA valid ${years} years`);
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');

    const second = await GatewayPki.loadOrCreate(dir, { hosts: ['10.1.2.3'] });
    assert.equal(second.caPem, first.caPem);
    assert.equal(second.serverCertPem, first.serverCertPem);
    assert.equal(second.serverKeyPem, first.serverKeyPem);
  });

  it('writes private keys mode 0600 in a 0700 directory', async () => {
    await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const pki = path.join(dir, 'pki');
    assert.equal(mode(pki), 0o700);
    assert.equal(mode(path.join(pki, 'ca.key')), 0o600);
    assert.equal(mode(path.join(pki, 'gateway.key')), 0o600);
    assert.deepEqual(fs.readdirSync(pki).sort(), ['ca.crt', 'ca.key', 'gateway.crt', 'gateway.key']);
  });

  it('serves loopback and the given hosts, for serverAuth, signed by the CA', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: ['10.1.2.3', 'gw.example.internal'] });
    const server = new X509Certificate(pki.serverCertPem);
    const ca = new X509Certificate(pki.caPem);
    assert.ok(server.verify(ca.publicKey));
    assert.deepEqual(server.keyUsage, [SERVER_AUTH]);
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('10.1.2.3'), '10.1.2.3');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkHost('gw.example.internal'), 'gw.example.internal');
    assert.equal(server.checkIP('10.9.9.9'), undefined);
    assert.equal(new X509Certificate(pki.serverChainPem).raw.equals(server.raw), true);
  });

  it('re-issues the serving certificate when the hosts change, keeping the CA', async () => {
    const first = await GatewayPki.loadOrCreate(dir, { hosts: ['10.1.2.3'] });
    const second = await GatewayPki.loadOrCreate(dir, { hosts: ['10.1.2.4'] });
    assert.equal(second.caPem, first.caPem);
    assert.notEqual(second.serverCertPem, first.serverCertPem);
    const server = new X509Certificate(second.serverCertPem);
    assert.equal(server.checkIP('10.1.2.4'), '10.1.2.4');
    assert.equal(server.checkIP('10.1.2.3'), undefined);
  });

  it('re-issues the serving certificate within 30 days of its expiry', async () => {
    const start = Date.now();
    const first = await GatewayPki.loadOrCreate(dir, { hosts: [], now: () => new Date(start) });
    const at300 = await GatewayPki.loadOrCreate(dir, { hosts: [], now: () => new Date(start + 300 * DAY) });
    assert.equal(at300.serverCertPem, first.serverCertPem);
    const at340 = await GatewayPki.loadOrCreate(dir, { hosts: [], now: () => new Date(start + 340 * DAY) });
    assert.notEqual(at340.serverCertPem, first.serverCertPem);
    assert.ok(Date.parse(new X509Certificate(at340.serverCertPem).validTo) > start + 700 * DAY);
  });

  it('refuses to start with half a CA', async () => {
    await GatewayPki.loadOrCreate(dir, { hosts: [] });
    fs.rmSync(path.join(dir, 'pki', 'ca.key'));
    await assert.rejects(GatewayPki.loadOrCreate(dir, { hosts: [] }), /ca\.key is missing/);
  });

  it('issues member certificates with the registered cluster CN, the members O and clientAuth only', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const certPem = await pki.signMemberCsr(await makeCsr('CN=eu-west'), 'eu-west', 30 * DAY);
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subject.split('\n').sort().join(','), `CN=eu-west,O=${MEMBER_ORGANIZATION}`);
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    assert.equal(cert.ca, false);
    assert.ok(cert.verify(new X509Certificate(pki.caPem).publicKey));
    const days = (Date.parse(cert.validTo) - Date.now()) / DAY;
    assert.ok(days > 29.9 && days < 30.1, `valid ${days} days`);
    assert.equal(pki.clusterNameOf(certPem), 'eu-west');
  });

  it('issues member certificates for 30 days by default, and for seconds when asked, backdated by a tenth at most', async () => {
    assert.equal(DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS, 30 * DAY);
    const now = Date.parse('2026-03-01T12:00:00.000Z');
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [], now: () => new Date(now) });
    const long = new X509Certificate(await pki.signMemberCsr(await makeCsr('CN=a'), 'a'));
    assert.equal(Date.parse(long.validTo) - now, 30 * DAY);
    assert.equal(now - Date.parse(long.validFrom), 5 * 60_000);
    const short = new X509Certificate(await pki.signMemberCsr(await makeCsr('CN=a'), 'a', 4_000));
    assert.equal(Date.parse(short.validTo) - now, 4_000);
    // Certificate times have one-second precision: 400 ms back rounds down to the second.
    assert.ok(now - Date.parse(short.validFrom) <= 1_000, short.validFrom);
    await assert.rejects(pki.signMemberCsr(await makeCsr('CN=a'), 'a', 500), (err) => isBadRequest(err));
    await assert.rejects(pki.signMemberCsr(await makeCsr('CN=a'), 'a', Number.NaN), (err) => isBadRequest(err));
  });

  it('memberCertificateOf names the cluster and identifies the one certificate', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const certPem = await pki.signMemberCsr(await makeCsr('CN=eu-west'), 'eu-west');
    const got = pki.memberCertificateOf(certPem);
    assert.ok(got);
    assert.equal(got.cluster, 'eu-west');
    assert.equal(got.fingerprint, certificateFingerprint(certPem));
    assert.equal(got.serial, certificateSerial(certPem));
    assert.match(got.serial, /^[0-9a-f]+$/);
    assert.equal(got.notAfter, Date.parse(new X509Certificate(certPem).validTo));
    assert.ok(got.publicKeySpki.equals(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })));
    const again = pki.memberCertificateOf(await pki.signMemberCsr(await makeCsr('CN=eu-west'), 'eu-west'));
    assert.notEqual(again?.serial, got.serial);
    assert.notEqual(again?.fingerprint, got.fingerprint);
  });

  it('readCertificateRequest returns the CNs asked for and the key, and refuses forgeries', async () => {
    const csrPem = await makeCsr('CN=us-east, O=x');
    const req = await readCertificateRequest(csrPem);
    assert.deepEqual(req.commonNames, ['us-east']);
    assert.ok(req.publicKeySpki.equals(Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).publicKey.rawData)));
    await assert.rejects(readCertificateRequest('garbage'), (err) => isBadRequest(err));
  });

  it('ignores the subject a CSR asks for', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const csr = await makeCsr('CN=us-east, O=system:masters');
    const cert = new X509Certificate(await pki.signMemberCsr(csr, 'eu-west'));
    assert.match(cert.subject, /CN=eu-west/);
    assert.doesNotMatch(cert.subject, /us-east|system:masters/);
    assert.equal(pki.clusterNameOf(cert.raw), 'eu-west');
  });

  it('refuses a CSR whose signature does not verify, and garbage', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const good = new x509.Pkcs10CertificateRequest(await makeCsr('CN=x'));
    const raw = new Uint8Array(good.rawData);
    raw[raw.length - 5] = (raw[raw.length - 5] ?? 0) ^ 0xff; // flip bits of the signature
    const forged = x509.PemConverter.encode(raw.buffer, 'CERTIFICATE REQUEST');
    await assert.rejects(pki.signMemberCsr(forged, 'eu-west'), (err) => isBadRequest(err));
    await assert.rejects(pki.signMemberCsr('not a csr', 'eu-west'), (err) => isBadRequest(err));
  });

  it('clusterNameOf accepts only member certificates of this CA that are valid now', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const member = await pki.signMemberCsr(await makeCsr('CN=a'), 'ap-south', 10 * DAY);
    assert.equal(pki.clusterNameOf(member), 'ap-south');
    assert.equal(pki.clusterNameOf({ raw: new X509Certificate(member).raw } as never), 'ap-south');
    // The serving certificate has no clientAuth; the CA is a CA.
    assert.equal(pki.clusterNameOf(pki.serverCertPem), undefined);
    assert.equal(pki.clusterNameOf(pki.caPem), undefined);
    assert.equal(pki.clusterNameOf(undefined), undefined);
    assert.equal(pki.clusterNameOf(Buffer.alloc(0)), undefined);
    // A certificate of another gateway's CA, with the right shape.
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-pki-other-'));
    try {
      const other = await GatewayPki.loadOrCreate(otherDir, { hosts: [] });
      assert.equal(pki.clusterNameOf(await other.signMemberCsr(await makeCsr('CN=a'), 'ap-south')), undefined);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
    // Expired: the same PKI seen 11 days later.
    const later = await GatewayPki.loadOrCreate(dir, { hosts: [], now: () => new Date(Date.now() + 11 * DAY) });
    assert.equal(later.clusterNameOf(member), undefined);
  });

  it('hashes the CA public key as kubeadm does (sha256 of the DER SubjectPublicKeyInfo)', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const caFile = path.join(dir, 'pki', 'ca.crt');
    const spki = execFileSync('openssl', ['x509', '-in', caFile, '-noout', '-pubkey']);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: spki });
    const hex = execFileSync('openssl', ['dgst', '-sha256', '-hex'], { input: der }).toString().trim().split(' ').pop();
    assert.equal(pki.caHash, `sha256:${hex}`);
    assert.equal(caCertHash(fs.readFileSync(caFile)), pki.caHash);
  });

  it('keeps a second PKI in its own directory, with its own names, beside <data>/pki', async () => {
    const gateway = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const opts = {
      dir: path.join(dir, 'api-pki'),
      hosts: ['127.0.0.1', '10.9.0.1'],
      caCommonName: 'fedgate-member-ca:eu-west',
      serverCommonName: 'fedgate-member-api:eu-west',
      serverFileName: 'apiserver',
    };
    const local = await GatewayPki.loadOrCreate(dir, opts);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'api-pki')).sort(), ['apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key']);
    assert.equal(mode(path.join(dir, 'api-pki', 'apiserver.key')), 0o600);
    assert.notEqual(local.caPem, gateway.caPem, 'its own CA');
    assert.equal(fs.readFileSync(path.join(dir, 'pki', 'ca.crt'), 'utf8'), gateway.caPem, '<data>/pki is left alone');
    assert.equal(new X509Certificate(local.caPem).subject, 'CN=fedgate-member-ca:eu-west');
    const server = new X509Certificate(local.serverCertPem);
    assert.equal(server.subject, 'CN=fedgate-member-api:eu-west');
    assert.equal(server.checkIP('10.9.0.1'), '10.9.0.1');
    assert.ok(server.checkIssued(new X509Certificate(local.caPem)));
    assert.equal((await GatewayPki.loadOrCreate(dir, opts)).serverCertPem, local.serverCertPem, 'reloaded as it is');
    // Another name (a data directory reused for another cluster) gets a new serving certificate from the same CA.
    const renamed = await GatewayPki.loadOrCreate(dir, { ...opts, serverCommonName: 'fedgate-member-api:us-east' });
    assert.equal(renamed.caPem, local.caPem);
    assert.equal(new X509Certificate(renamed.serverCertPem).subject, 'CN=fedgate-member-api:us-east');
  });

  it('issues in-memory client certificates with the given subject, clientAuth only, for the given lifetime', async () => {
    const pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    const before = fs.readdirSync(path.join(dir, 'pki')).sort();
    const { certPem, keyPem } = await pki.issueClientCertificate({ commonName: 'system:fedgate-gateway', organizations: ['system:masters'] }, DAY);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'pki')).sort(), before, 'nothing is written');
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subject.split('\n').sort().join(','), 'CN=system:fedgate-gateway,O=system:masters');
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(new X509Certificate(pki.caPem)) && cert.verify(new X509Certificate(pki.caPem).publicKey));
    const life = Date.parse(cert.validTo) - Date.now();
    assert.ok(life > DAY - 60_000 && life <= DAY, `valid for ${life} ms`);
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)), 'the key belongs to the certificate');
    assert.equal(pki.clusterNameOf(certPem), undefined, 'not a member certificate');
    await assert.rejects(pki.issueClientCertificate({ commonName: '' }, DAY), isBadRequest);
    await assert.rejects(pki.issueClientCertificate({ commonName: 'x' }, 10), isBadRequest);
  });
});
