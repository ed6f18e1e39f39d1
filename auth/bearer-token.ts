/**
 * The bearer token of a request (`Authorization: Bearer <token>`), read as kube-apiserver's
 * bearertoken authenticator reads it: the scheme is case-insensitive, surrounding spaces
 * are ignored, an empty token (`Bearer  x`, two spaces) is no token.
 */
import type { AuthnRequest } from '../apimachinery/index.js';

/** The request's bearer token, or undefined when it carries none. */
export function bearerToken(req: AuthnRequest): string | undefined {
  const raw = req.headers['authorization'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (typeof header !== 'string') return undefined;
  // strings.SplitN(auth, " ", 3): the token is the second part; anything after it is ignored.
  const parts = header.trim().split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const token = parts[1]!;
  return token === '' ? undefined : token;
}
