/**
 * The `continue` token of a paged list: opaque to clients, base64url of `{rev, key}` — the
 * revision the first page was read at (every page reads at it, so the pages form one
 * consistent snapshot) and the store key the next page starts at.
 */
import { badRequest } from '../apimachinery/index.js';

/** What a continue token carries. */
export interface ContinuePosition {
  /** Revision of the first page; later pages read at it. */
  rev: number;
  /** First store key of the next page (inclusive). */
  key: string;
}

/** Encodes a position as an opaque token. */
export function encodeContinue(pos: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ rev: pos.rev, key: pos.key })).toString('base64url');
}

/**
 * Decodes a token; a token that is not ours, or whose key lies outside `prefix` (it was
 * issued for another collection), is a 400 BadRequest.
 */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: the token could not be decoded');
  }
  const p = parsed as Partial<ContinuePosition> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.rev !== 'number' ||
    !Number.isSafeInteger(p.rev) ||
    p.rev <= 0 ||
    typeof p.key !== 'string'
  ) {
    throw badRequest('continue key is not valid: malformed token');
  }
  if (!p.key.startsWith(prefix)) {
    throw badRequest('continue key is not valid: the token belongs to a different collection');
  }
  return { rev: p.rev, key: p.key };
}
