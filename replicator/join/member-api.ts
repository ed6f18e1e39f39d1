/**
 * A member's local API as its `Cluster` records it: `spec.apiEndpoint` (the URL) and
 * `spec.apiCABundle` (base64 of the PEM CA bundle that signed the API's serving
 * certificate), which the gateway's `clusters/{name}/proxy` dials and verifies against.
 * The member reports both at Register and again in every Hello, so a new port or a rotated
 * CA reaches its Cluster at the next connect. A member only ever writes its own Cluster (the
 * one its certificate names), and only these two fields.
 */
import { X509Certificate } from 'node:crypto';
import { invalid, type Cluster, type StatusCause } from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';
import { writeObjectStatus } from '../status/index.js';
import { clusterKey, clusterResource } from './stored-objects.js';

/** Largest CA bundle a member may report. */
export const MAX_API_CA_BUNDLE_BYTES = 64 * 1024;

/** What a member says about its local API (Register or Hello fields). */
export interface MemberApiReport {
  apiEndpoint?: string | null;
  /** PEM. */
  apiCaBundle?: string | null;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates of a bundle, each parsed; throws with the reason when one does not parse or none is there. */
export function parseCaBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('holds no PEM certificate');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new Error(`certificate ${i + 1} does not parse: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
}

/**
 * Field causes of a reported API: the endpoint must be an http(s) URL without credentials,
 * query or fragment; the CA bundle PEM certificates (at most 64 KiB), and only with https.
 */
export function validateMemberApi(report: MemberApiReport, fields = { endpoint: 'api_endpoint', caBundle: 'api_ca_bundle' }): StatusCause[] {
  const causes: StatusCause[] = [];
  const endpoint = report.apiEndpoint ?? '';
  const bundle = report.apiCaBundle ?? '';
  let protocol: string | undefined;
  if (endpoint !== '') {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      causes.push({ reason: 'FieldValueInvalid', message: `"${endpoint}" is not a URL`, field: fields.endpoint });
    }
    if (url) {
      protocol = url.protocol;
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        causes.push({ reason: 'FieldValueInvalid', message: 'must be an http:// or https:// URL', field: fields.endpoint });
      } else if (url.username || url.password || url.search || url.hash) {
        causes.push({ reason: 'FieldValueInvalid', message: 'must not carry credentials, a query or a fragment', field: fields.endpoint });
      }
    }
  }
  if (bundle !== '') {
    if (Buffer.byteLength(bundle) > MAX_API_CA_BUNDLE_BYTES) {
      causes.push({ reason: 'FieldValueTooLong', message: `must be no more than ${MAX_API_CA_BUNDLE_BYTES} bytes`, field: fields.caBundle });
    } else {
      try {
        parseCaBundle(bundle);
      } catch (err) {
        causes.push({ reason: 'FieldValueInvalid', message: `not a PEM CA bundle: ${(err as Error).message}`, field: fields.caBundle });
      }
    }
    if (protocol !== undefined && protocol !== 'https:') {
      causes.push({ reason: 'FieldValueInvalid', message: 'a CA bundle goes with an https:// endpoint only', field: fields.caBundle });
    }
  }
  return causes;
}

/** `spec.apiCABundle` of a PEM bundle: base64, as a kubeconfig's certificate-authority-data. */
export function encodeCaBundle(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** The PEM of a Cluster's `spec.apiCABundle`, or undefined when it has none. */
export function clusterApiCaBundle(cluster: Pick<Cluster, 'spec'>): string | undefined {
  const b64 = cluster.spec?.apiCABundle;
  if (!b64) return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

/**
 * Records what a connecting member reported about its API on its Cluster (compare-and-swap,
 * `metadata.generation` moves as for any spec change). Nothing happens when the report names
 * no endpoint (a member of an older version) or matches the Cluster already. Invalid when the
 * report is malformed; the Cluster is left as it was. Resolves true when it wrote.
 */
export async function recordMemberApi(store: Store, cluster: string, report: MemberApiReport): Promise<boolean> {
  const endpoint = report.apiEndpoint ?? '';
  if (endpoint === '') return false;
  const causes = validateMemberApi(report);
  if (causes.length > 0) throw invalid('Cluster', cluster, causes, clusterResource.group);
  const bundle = report.apiCaBundle ? encodeCaBundle(report.apiCaBundle) : undefined;
  const revision = await writeObjectStatus<Cluster>(store, clusterKey(cluster), (obj) => {
    const spec = obj.spec ?? {};
    if (spec.apiEndpoint === endpoint && spec.apiCABundle === bundle) return false;
    const next = { ...spec, apiEndpoint: endpoint };
    if (bundle === undefined) delete next.apiCABundle;
    else next.apiCABundle = bundle;
    obj.spec = next;
    obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
    return true;
  });
  return revision !== undefined;
}
