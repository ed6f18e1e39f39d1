/**
 * `fedgate gateway` with certificates the operator brings: `--tls-cert-file` and
 * `--tls-private-key-file` serve the REST API (clients verify it with the operator's root,
 * which the kubeconfig carries), `--ca-cert-file` and `--ca-key-file` make the gateway CA
 * (its certificate lands in `<data>/pki`, its key never does; the member port's certificate
 * is signed by it). Wrong files stop the start with a message naming the flag.
 */
import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { readKubeconfig } from '../../cli/kubeconfig.js';
import { caCertHash } from '../../proto/index.js';
import { EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, exportPrivateKey, x509 } from '../../replicator/index.js';
import { runFedgate } from '../fixtures/cli-run.js';
import { startGatewayProcess, type GatewayProcess } from '../fixtures/gateway-process.js';

interface Issued {
  certPem: string;
  keyPem: string;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A self-signed CA, or a certificate signed by `issuer` (server: SAN 127.0.0.1, serverAuth). */
async function issue(cn: string, issuer: Issued | undefined, kind: 'ca' | 'server', algorithm: 'ec' | 'rsa' = 'ec'): Promise<Issued> {
  const keyAlgorithm = algorithm === 'ec' ? EC_KEY_ALGORITHM : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const signingAlgorithm = (issuer ?? { keys }).keys.privateKey.algorithm.name === 'ECDSA' ? EC_SIGNING_ALGORITHM : { name: 'RSASSA-PKCS1-v1_5' };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^./, '1'),
    subject: `CN=${cn}`,
    issuer: issuer ? issuer.cert.subject : `CN=${cn}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    publicKey: keys.publicKey,
    signingKey: (issuer ?? { keys }).keys.privateKey,
    signingAlgorithm,
    extensions:
      kind === 'ca'
        ? [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)]
        : [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
            new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
          ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKey(keys.privateKey), keys, cert };
}

/** The certificate a TLS server presents at `host:port`, and whether `caPem` verifies it. */
function peerCertificate(url: string, caPem: string): Promise<{ pem: string; authorized: boolean; error?: string }> {
  const { hostname, port } = new URL(url.includes('://') ? url : `tls://${url}`);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca: caPem, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      resolve({ pem: new X509Certificate(raw).toString(), authorized: socket.authorized, ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}) });
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('fedgate gateway with the operator’s certificates', function () {
  this.timeout(120_000);
  let dir: string;
  let operatorCa: Issued;
  let corporateRoot: Issued;
  let serving: Issued;
  let gateway: GatewayProcess | undefined;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-tls-files-'));
    operatorCa = await issue('operator-ca', undefined, 'ca');
    corporateRoot = await issue('corporate-root', undefined, 'ca');
    serving = await issue('gateway.example', corporateRoot, 'server');
    file('ca.crt', operatorCa.certPem);
    file('ca.key', operatorCa.keyPem);
    file('tls.crt', serving.certPem + corporateRoot.certPem);
    file('tls.key', serving.keyPem);
  });

  after(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the REST API with the given certificate and signs member certificates with the given CA', async () => {
    const data = join(dir, 'data');
    gateway = await startGatewayProcess(
      `sqlite:${join(data, 'fedgate.db')}`,
      ['--data', data, '--tls-cert-file', join(dir, 'tls.crt'), '--tls-private-key-file', join(dir, 'tls.key'), '--ca-cert-file', join(dir, 'ca.crt'), '--ca-key-file', join(dir, 'ca.key')],
      { secure: true },
    );
    // REST: the operator's serving certificate, verified by the corporate root.
    const rest = await peerCertificate(gateway.url, corporateRoot.certPem);
    assert.equal(rest.authorized, true, rest.error);
    assert.equal(new X509Certificate(rest.pem).fingerprint256, new X509Certificate(serving.certPem).fingerprint256);
    // The admin kubeconfig trusts the corporate root, and works.
    const kubeconfig = readKubeconfig(String(gateway.info['kubeconfig']));
    const cluster = kubeconfig.clusters[0]!.cluster;
    assert.equal(Buffer.from(cluster['certificate-authority-data']!, 'base64').toString(), corporateRoot.certPem);
    const listed = await runFedgate(['get', 'namespaces', '--kubeconfig', String(gateway.info['kubeconfig'])]);
    assert.equal(listed.code, 0, listed.stderr);
    // The gateway CA is the operator's: its certificate is in <data>/pki, its key is not; the member port is signed by it.
    assert.equal(readFileSync(join(data, 'pki', 'ca.crt'), 'utf8').trim(), operatorCa.certPem.trim());
    assert.equal(existsSync(join(data, 'pki', 'ca.key')), false);
    assert.equal(gateway.info['caHash'], caCertHash(operatorCa.certPem));
    const member = await peerCertificate(String(gateway.info['memberAddress']), operatorCa.certPem);
    assert.equal(member.authorized, true, member.error);
    // A client certificate signed by the operator CA authenticates on the REST API.
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${gateway!.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { ca: corporateRoot.certPem }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        })
        .on('error', reject);
    });
    assert.match(body, /^40[15] /, 'without credentials: refused, over a TLS connection the corporate root verified');
    await gateway.stop();
    gateway = undefined;
  });

  it('refuses wrong files with a message naming the flag, and starts nothing', async () => {
    const other = await issue('other', undefined, 'ca');
    const rsaCa = await issue('rsa-ca', undefined, 'ca', 'rsa');
    file('other.key', other.keyPem);
    file('rsa-ca.crt', rsaCa.certPem);
    file('rsa-ca.key', rsaCa.keyPem);
    file('not-pem.crt', 'hello\n');
    const cases: [string[], RegExp][] = [
      [['--tls-cert-file', join(dir, 'tls.crt')], /--tls-private-key-file is needed with --tls-cert-file/],
      [['--tls-cert-file', join(dir, 'tls.crt'), '--tls-private-key-file', join(dir, 'other.key')], /--tls-private-key-file .*other\.key is not the key of the certificate/],
      [['--tls-cert-file', join(dir, 'not-pem.crt'), '--tls-private-key-file', join(dir, 'tls.key')], /--tls-cert-file .*not-pem\.crt: no PEM certificate in it/],
      [['--tls-cert-file', join(dir, 'missing.crt'), '--tls-private-key-file', join(dir, 'tls.key')], /--tls-cert-file .*missing\.crt: no such file/],
      [['--ca-cert-file', join(dir, 'tls.crt'), '--ca-key-file', join(dir, 'tls.key')], /--ca-cert-file .*tls\.crt: holds 2 certificates/],
      [['--ca-cert-file', join(dir, 'ca.crt'), '--ca-key-file', join(dir, 'other.key')], /--ca-key-file .*other\.key is not the key of the CA/],
      [['--ca-cert-file', join(dir, 'rsa-ca.crt'), '--ca-key-file', join(dir, 'rsa-ca.key')], /the CA key must be ECDSA P-256 .*not rsa/],
    ];
    for (const [args, message] of cases) {
      const data = mkdtempSync(join(dir, 'bad-'));
      const run = await runFedgate(['gateway', '--data', data, '--listen', '127.0.0.1:0', '--join-listen', '127.0.0.1:0', '--member-listen', '127.0.0.1:0', '--no-dns', ...args]);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
    // A data directory that holds another CA (or a CA key) refuses --ca-cert-file.
    const gatewayWith = (data: string) =>
      runFedgate(['gateway', '--data', data, '--listen', '127.0.0.1:0', '--join-listen', '127.0.0.1:0', '--member-listen', '127.0.0.1:0', '--no-dns', '--ca-cert-file', join(dir, 'ca.crt'), '--ca-key-file', join(dir, 'ca.key')]);
    const existing = mkdtempSync(join(dir, 'existing-'));
    mkdirSync(join(existing, 'pki'));
    writeFileSync(join(existing, 'pki', 'ca.crt'), other.certPem);
    const another = await gatewayWith(existing);
    assert.equal(another.code, 1);
    assert.match(another.stderr, /pki\/ca\.crt holds another CA than --ca-cert-file/);
    writeFileSync(join(existing, 'pki', 'ca.crt'), operatorCa.certPem);
    writeFileSync(join(existing, 'pki', 'ca.key'), operatorCa.keyPem);
    const keyThere = await gatewayWith(existing);
    assert.equal(keyThere.code, 1);
    assert.match(keyThere.stderr, /pki\/ca\.key exists while the CA key comes from --ca-key-file/);
  });
});
