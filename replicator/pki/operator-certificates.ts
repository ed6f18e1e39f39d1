/**
 * Certificates an operator brings instead of the ones fedgate creates: a serving certificate
 * for the REST API (`--tls-cert-file`, `--tls-private-key-file`, as kube-apiserver names
 * them) and a CA for the whole gateway (`--ca-cert-file`, `--ca-key-file`). Each is checked
 * when read — PEM, key matching the certificate, validity, a CA that is a CA — so a wrong
 * file stops the start with a message naming it, not a TLS failure later.
 *
 *   const serving = readServingCertificate('/etc/fedgate/tls.crt', '/etc/fedgate/tls.key');
 *   serving.certPem; serving.keyPem; serving.trustAnchorPem; // the self-signed root of the chain, if included
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CertificateKeyPair } from './gateway-pki.js';

/** A serving certificate read from files. */
export interface ServingCertificate extends CertificateKeyPair {
  /** The leaf certificate, parsed. */
  leaf: X509Certificate;
  /** The self-signed last certificate of the chain file, when it has one (clients can pin it). */
  trustAnchorPem?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
  }
}

/** The certificates of a PEM file, first (leaf) to last; an error naming the flag when there is none or one is unreadable. */
export function readCertificateChain(file: string, flag: string): { pems: string[]; certs: X509Certificate[] } {
  const pems = readText(file, flag).match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) throw new Error(`${flag} ${file}: no PEM certificate in it`);
  const certs = pems.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch (err) {
      throw new Error(`${flag} ${file}: certificate ${i + 1} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  });
  return { pems: pems.map((p) => `${p}\n`), certs };
}

function readPrivateKey(file: string, flag: string): { pem: string; key: KeyObject } {
  const pem = readText(file, flag);
  try {
    return { pem, key: createPrivateKey(pem) };
  } catch (err) {
    throw new Error(`${flag} ${file}: not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
}

function checkValidity(cert: X509Certificate, what: string, now: Date): void {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore) throw new Error(`${what} is not valid before ${notBefore.toISOString()}`);
  if (now > notAfter) throw new Error(`${what} expired on ${notAfter.toISOString()}`);
}

/** Reads and checks a serving certificate chain and its key. */
export function readServingCertificate(certFile: string, keyFile: string, now: Date = new Date()): ServingCertificate {
  const { pems, certs } = readCertificateChain(certFile, '--tls-cert-file');
  const { pem: keyPem, key } = readPrivateKey(keyFile, '--tls-private-key-file');
  const leaf = certs[0]!;
  if (!leaf.checkPrivateKey(key)) throw new Error(`--tls-private-key-file ${keyFile} is not the key of the certificate in --tls-cert-file ${certFile}`);
  checkValidity(leaf, `the certificate in --tls-cert-file ${certFile}`, now);
  const last = certs.at(-1)!;
  const selfSigned = last.checkIssued(last) && last.verify(last.publicKey);
  return { certPem: pems.join(''), keyPem, leaf, ...(selfSigned ? { trustAnchorPem: pems.at(-1)! } : {}) };
}

/** Reads and checks a CA certificate and its key (an ECDSA P-256 key: the gateway signs member certificates with it). */
export function readCertificateAuthority(certFile: string, keyFile: string, now: Date = new Date()): CertificateKeyPair {
  const { pems, certs } = readCertificateChain(certFile, '--ca-cert-file');
  if (certs.length !== 1) throw new Error(`--ca-cert-file ${certFile}: holds ${certs.length} certificates; give the CA certificate alone`);
  const ca = certs[0]!;
  if (!ca.ca) throw new Error(`--ca-cert-file ${certFile}: the certificate is not a CA (basicConstraints CA:TRUE is missing)`);
  checkValidity(ca, `the CA certificate in --ca-cert-file ${certFile}`, now);
  const { key } = readPrivateKey(keyFile, '--ca-key-file');
  if (!ca.checkPrivateKey(key)) throw new Error(`--ca-key-file ${keyFile} is not the key of the CA in --ca-cert-file ${certFile}`);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`--ca-key-file ${keyFile}: the CA key must be ECDSA P-256 (it signs member certificates with ES256), not ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}`);
  }
  // PKCS#8, as the rest of the PKI reads keys.
  return { certPem: pems[0]!, keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
