/**
 * The Register call: a bootstrap token and a CSR buy a member a client certificate for its
 * cluster name, and the gateway records the member as a `Cluster` object.
 *
 * Order matters: everything a caller can get wrong without a valid token (name, labels,
 * CSR) is refused first, and whether a cluster exists is revealed only to a caller holding
 * a valid token. The token is used up only once every check passed, so a rejected join does
 * not burn it — except when another join takes the name between the check and the create.
 */
import { isIP } from 'node:net';
import {
  ClusterConditions,
  invalid,
  isAlreadyExists,
  isDNS1123Label,
  StatusError,
  StatusReason,
  validateLabels,
  type Cluster,
  type StatusCause,
} from '../../apimachinery/index.js';
import type { fedgate } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS } from '../pki/index.js';
import { consumeToken, verifyToken } from './bootstrap-tokens.js';
import { certificateAnnotations } from './cluster-certificates.js';
import { encodeCaBundle, validateMemberApi } from './member-api.js';
import { clusterKey, clusterResource, createStoredObject, formatTimestamp } from './stored-objects.js';

/** Longest cluster name: it becomes a DNS label inside longer names (`<svc>.<ns>.<cluster>...`). */
export const MAX_CLUSTER_NAME_LENGTH = 48;
/** Annotation on a Cluster: id of the bootstrap token it joined with (audit). */
export const BOOTSTRAP_TOKEN_ID_ANNOTATION = 'cluster.fedgate.io/bootstrap-token-id';

/** What Register and Renew need from the PKI. */
export interface MemberCertificateIssuer {
  readonly caPem: string;
  signMemberCsr(csrPem: string, clusterName: string, lifetimeMs?: number): Promise<string>;
}

/** Options of `RegisterHandler`. */
export interface RegisterHandlerOptions {
  store: Store;
  pki: MemberCertificateIssuer;
  /** Lifetime of issued member certificates, ms (default 30 days). */
  memberCertificateLifetimeMs?: number;
  /** The current time; the system clock by default. */
  now?: () => Date;
}

/** A Register request as decoded (or built by hand in tests). */
export type RegisterInput = fedgate.v1.IRegisterRequest;
/** A Register response. */
export type RegisterOutput = fedgate.v1.IRegisterResponse;

/** Field causes of a Register request that no token can fix. */
export function validateRegisterRequest(req: RegisterInput): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = req.clusterName ?? '';
  if (name === '') {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'cluster_name' });
  } else {
    for (const message of isDNS1123Label(name)) causes.push({ reason: 'FieldValueInvalid', message, field: 'cluster_name' });
    if (name.length > MAX_CLUSTER_NAME_LENGTH) {
      causes.push({ reason: 'FieldValueInvalid', message: `must be no more than ${MAX_CLUSTER_NAME_LENGTH} characters`, field: 'cluster_name' });
    }
  }
  causes.push(...validateLabels(req.labels ?? {}, 'labels'));
  for (const [i, addr] of (req.externalAddresses ?? []).entries()) {
    if (isIP(addr) === 0) causes.push({ reason: 'FieldValueInvalid', message: `"${addr}" is not an IP address`, field: `external_addresses[${i}]` });
  }
  for (const f of ['region', 'zone'] as const) {
    if ((req[f] ?? '').length > 63) causes.push({ reason: 'FieldValueInvalid', message: 'must be no more than 63 characters', field: f });
  }
  causes.push(...validateMemberApi(req));
  return causes;
}

/** Builds the Cluster object a join records (spec from the request, Joined=True). */
export function joinedCluster(req: RegisterInput, certificatePem: string, tokenId: string, now: Date): Cluster {
  const spec: NonNullable<Cluster['spec']> = {};
  if (req.region) spec.region = req.region;
  if (req.zone) spec.zone = req.zone;
  if (req.externalAddresses && req.externalAddresses.length > 0) spec.endpoints = [...req.externalAddresses];
  if (req.apiEndpoint) spec.apiEndpoint = req.apiEndpoint;
  if (req.apiEndpoint && req.apiCaBundle) spec.apiCABundle = encodeCaBundle(req.apiCaBundle);
  const labels = { ...(req.labels ?? {}) };
  const cluster: Cluster = {
    apiVersion: `${clusterResource.group}/${clusterResource.version}`,
    kind: 'Cluster',
    metadata: {
      name: req.clusterName ?? '',
      annotations: {
        ...certificateAnnotations(certificatePem),
        [BOOTSTRAP_TOKEN_ID_ANNOTATION]: tokenId,
      },
    },
    spec,
    status: {
      conditions: [
        {
          type: ClusterConditions.Joined,
          status: 'True',
          reason: 'Registered',
          message: 'the member registered with a bootstrap token',
          lastTransitionTime: formatTimestamp(now),
        },
      ],
    },
  };
  if (Object.keys(labels).length > 0) cluster.metadata.labels = labels;
  return cluster;
}

/** Serves Register: validates, consumes the token, signs the CSR and creates the Cluster. */
export class RegisterHandler {
  private readonly now: () => Date;

  constructor(private readonly options: RegisterHandlerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Registers a member; StatusError (Invalid, BadRequest, Unauthorized, AlreadyExists) on refusal. */
  async handle(req: RegisterInput): Promise<RegisterOutput> {
    const { store, pki } = this.options;
    const name = req.clusterName ?? '';
    const causes = validateRegisterRequest(req);
    if (causes.length > 0) throw invalid('Cluster', name, causes, clusterResource.group);
    if (!req.csrPem) throw invalid('Cluster', name, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'csr_pem' }], clusterResource.group);
    const now = this.now();
    // Signing first proves the CSR is sound; the certificate is only handed out below.
    const certificatePem = await pki.signMemberCsr(req.csrPem, name, this.options.memberCertificateLifetimeMs ?? DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS);
    await verifyToken(store, req.token ?? '', now);
    if (await store.get(clusterKey(name))) throw alreadyJoined(name);
    const token = await consumeToken(store, req.token ?? '', now);
    try {
      await createStoredObject(store, clusterResource, joinedCluster(req, certificatePem, token.id, now), now);
    } catch (err) {
      if (isAlreadyExists(err)) throw alreadyJoined(name);
      throw err;
    }
    return { certificatePem, caPem: pki.caPem, clusterName: name };
  }
}

function alreadyJoined(name: string): StatusError {
  return new StatusError(StatusReason.AlreadyExists, `cluster ${name} is already joined; unjoin it first`, {
    name,
    group: clusterResource.group,
    kind: clusterResource.plural,
  });
}
