/**
 * The `Accept` header, read as kube-apiserver reads it: media ranges in the client's order
 * of preference, each with parameters (`application/json;as=Table;v=v1;g=meta.k8s.io`). The
 * gateway writes JSON only; what varies is the shape — the object itself, a `Table` for
 * printing, `PartialObjectMetadata`, or aggregated discovery. A header that names nothing
 * the gateway can produce is 406 NotAcceptable.
 */
import { StatusError, StatusReason } from '../apimachinery/index.js';

/** One media range of an Accept header. */
export interface MediaRange {
  type: string;
  subtype: string;
  params: Readonly<Record<string, string>>;
}

/** The media ranges of an Accept header, in order; an empty or absent header accepts anything. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*', subtype: '*', params: {} }];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [full = '', ...rawParams] = part.split(';').map((p) => p.trim());
    const slash = full.indexOf('/');
    if (slash <= 0) continue;
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
    out.push({ type: full.slice(0, slash).toLowerCase(), subtype: full.slice(slash + 1).toLowerCase(), params });
  }
  return out;
}

function isJson(m: MediaRange): boolean {
  return (m.type === 'application' && (m.subtype === 'json' || m.subtype === '*')) || (m.type === '*' && m.subtype === '*');
}

/** Plain JSON (no `as=` conversion asked for, or `*` ranges). */
function isPlainJson(m: MediaRange): boolean {
  return isJson(m) && m.params['as'] === undefined;
}

/** How an object or list response is shaped. */
export type ResponseShape =
  | { kind: 'object' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' };

function metaVersion(m: MediaRange): 'v1' | 'v1beta1' | undefined {
  if (m.params['g'] !== 'meta.k8s.io') return undefined;
  const v = m.params['v'];
  return v === 'v1' || v === 'v1beta1' ? v : undefined;
}

function notAcceptable(header: string): StatusError {
  return new StatusError(
    StatusReason.NotAcceptable,
    `only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io (asked for ${header})`,
  );
}

/**
 * The shape of a get, list or watch response: the first media range the gateway can
 * produce. `list` tells PartialObjectMetadataList from PartialObjectMetadata.
 */
export function responseShape(header: string | undefined, list: boolean): ResponseShape {
  for (const m of parseAccept(header)) {
    if (!isJson(m)) continue;
    const as = m.params['as'];
    if (as === undefined) return { kind: 'object' };
    const version = metaVersion(m);
    if (!version) continue;
    if (as === 'Table') return { kind: 'table', version };
    if (as === (list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) return { kind: 'partial', version };
  }
  throw notAcceptable(header ?? '');
}

/** The aggregated discovery version the client asks for first (`as=APIGroupDiscoveryList`), or undefined for the legacy documents. */
export function aggregatedDiscoveryVersion(header: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(header)) {
    if (!isJson(m)) continue;
    if (m.params['as'] === 'APIGroupDiscoveryList' && m.params['g'] === 'apidiscovery.k8s.io' && (m.params['v'] === 'v2' || m.params['v'] === 'v2beta1')) {
      return m.params['v'];
    }
    if (isPlainJson(m)) return undefined;
  }
  return undefined;
}

/** True when JSON is acceptable at all (OpenAPI v2 asked for as protobuf only is 406, so kubectl moves on). */
export function acceptsJson(header: string | undefined): boolean {
  return parseAccept(header).some((m) => isPlainJson(m));
}
