/**
 * Compact JWS (RFC 7515) signing and verification with node:crypto, for the two algorithms
 * service account tokens use: ES256 (ECDSA P-256, signature as r‖s per RFC 7518 §3.4) and
 * RS256 (RSASSA-PKCS1-v1_5 with SHA-256). Nothing else is accepted — in particular not
 * `none`, and not an algorithm other than the one the verifying key is for.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

/** The signing algorithms of service account tokens. */
export type JwtAlgorithm = 'ES256' | 'RS256';

/** A JWT split into its parts; header and payload parsed, signature still unchecked. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`: what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The algorithm a key signs with: ES256 for a P-256 EC key, RS256 for RSA; undefined otherwise. */
export function algorithmOf(key: KeyObject): JwtAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Signs `payload` with `key` (its algorithm decides ES256 or RS256); `kid` goes into the header. */
export function signJwt(payload: Record<string, unknown>, key: KeyObject, kid?: string): string {
  const alg = algorithmOf(key);
  if (!alg) throw new Error('service account signing key must be an RSA or P-256 EC private key');
  const header: Record<string, unknown> = { alg, typ: 'JWT' };
  if (kid !== undefined) header['kid'] = kid;
  const signingInput = `${encodePart(header)}.${encodePart(payload)}`;
  const signature = alg === 'ES256' ? sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function parseObject(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and parses a compact JWT; undefined when `token` does not have that shape. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseObject(h);
  const payload = parseObject(p);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/**
 * True when one of `keys` (public keys) verifies the signature, using the algorithm of that
 * key only, and the header names that same algorithm.
 */
export function verifyJwtSignature(jwt: DecodedJwt, keys: readonly KeyObject[]): boolean {
  const alg = jwt.header['alg'];
  for (const key of keys) {
    const keyAlg = algorithmOf(key);
    if (!keyAlg || keyAlg !== alg) continue;
    try {
      const ok =
        keyAlg === 'ES256'
          ? verify('sha256', Buffer.from(jwt.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jwt.signature)
          : verify('sha256', Buffer.from(jwt.signingInput), key, jwt.signature);
      if (ok) return true;
    } catch {
      // A malformed signature for this key type: not verified by it.
    }
  }
  return false;
}
