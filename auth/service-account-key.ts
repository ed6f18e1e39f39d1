/**
 * The key pair that signs service account tokens, kept in the gateway's data directory as
 * `service-account.key` (PKCS#8 PEM, mode 0600). Created at first start (ECDSA P-256,
 * ES256); an RSA key put there instead signs RS256. Every gateway sharing a store must
 * share this key, or tokens of one are refused by the others.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { algorithmOf, type JwtAlgorithm } from './jwt.js';

/** File of the signing key in the data directory. */
export const SERVICE_ACCOUNT_KEY_FILE = 'service-account.key';

/** A signing key with what verification needs. */
export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: JwtAlgorithm;
  /** Kubernetes' key id: base64url(SHA-256(DER SubjectPublicKeyInfo)). */
  keyId: string;
}

/** Reads a PEM private key; Error when it is not an RSA or P-256 EC key. */
export function serviceAccountKeyFromPem(pem: string): ServiceAccountKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`service account key is not a PEM private key: ${err instanceof Error ? err.message : String(err)}`);
  }
  const algorithm = algorithmOf(privateKey);
  if (!algorithm) throw new Error('service account key must be an RSA or P-256 EC private key');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, algorithm, keyId: createHash('sha256').update(der).digest('base64url') };
}

/**
 * The signing key of `dir`, created (P-256) when absent. Two processes starting at once end
 * up with the same key: the file is published with an exclusive hard link, and the loser
 * reads the winner's.
 */
export async function loadOrCreateServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  const path = join(dir, SERVICE_ACCOUNT_KEY_FILE);
  try {
    return serviceAccountKeyFromPem(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600);
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return serviceAccountKeyFromPem(await readFile(path, 'utf8'));
}
