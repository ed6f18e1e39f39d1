/**
 * The API server's authentication and authorization, assembled: client certificates, user
 * tokens and service account tokens (in that order) then anonymous; RBAC with the bootstrap
 * policy; the review answers. Constructing it does no I/O; `start()` reconciles the
 * bootstrap policy, starts the informers and resolves once their caches are filled.
 */
import type { KeyObject } from 'node:crypto';
import {
  ResourceRegistry,
  type KubeObject,
  type SelfSubjectAccessReview,
  type SelfSubjectReview,
  type SelfSubjectRulesReview,
  type ServiceAccount,
  type TokenRequest,
  type TokenReview,
  type UserInfo,
} from '../apimachinery/index.js';
import { SharedInformerFactory, silentLogger, type Clock, type Informer, type Logger } from '../controller/index.js';
import type { Store } from '../store/index.js';
import { ensureBootstrapPolicy } from './bootstrap-policy.js';
import { checkRequest, type CheckedRequest, type RequestCheck } from './check-request.js';
import { ClientCertificateAuthenticator } from './client-certificate-authenticator.js';
import { ClusterRoleAggregator } from './cluster-role-aggregation.js';
import { checkRbacWrite } from './escalation.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, tokenReview } from './reviews.js';
import { ServiceAccountTokenAuthenticator } from './service-account-authenticator.js';
import type { ServiceAccountKey } from './service-account-key.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, serviceAccountTokenRequest } from './service-account-tokens.js';
import { TokenAuthenticator, userTokenSecretInformer, type TokenAuthenticatorOptions } from './token-authenticator.js';
import { UnionAuthenticator } from './union-authenticator.js';

/** Options of GatewayAuth. */
export interface GatewayAuthOptions {
  /** The store the API server serves (its watch cache is best: informers then read memory). */
  store: Store;
  /** Signs new service account tokens and verifies them (`loadOrCreateServiceAccountKey`). */
  serviceAccountKey: ServiceAccountKey;
  /** Further public keys whose tokens still verify (a rotated-out key). */
  extraVerificationKeys?: KeyObject[];
  /** Shared informers to read roles, bindings and ServiceAccounts through; one of its own by default. */
  factory?: SharedInformerFactory;
  registry?: ResourceRegistry;
  issuer?: string;
  /** The API server's audiences; the issuer by default. */
  apiAudiences?: string[];
  /** Serve anonymous requests on the health paths (true by default). */
  anonymous?: boolean;
  /** Skip `ensureBootstrapPolicy` in `start()` (another gateway on the same store reconciles it). */
  skipBootstrapPolicy?: boolean;
  tokenCache?: Pick<TokenAuthenticatorOptions, 'cacheTtlMs' | 'negativeCacheTtlMs' | 'maxCacheEntries'>;
  clock?: Clock;
  logger?: Logger;
}

/** Authentication, RBAC and the review answers of one API server. */
export class GatewayAuth {
  /** Certificates, user tokens, service account tokens, then anonymous. */
  readonly authenticator: UnionAuthenticator;
  /** Tokens only, no anonymous: what TokenReview checks. */
  readonly tokenAuthenticator: UnionAuthenticator;
  readonly authorizer: RbacAuthorizer;
  readonly issuer: string;
  readonly apiAudiences: string[];

  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly secrets: Informer<KubeObject>;
  private readonly serviceAccounts: Informer<ServiceAccount>;
  private readonly userTokens: TokenAuthenticator;
  private readonly serviceAccountTokens: ServiceAccountTokenAuthenticator;
  /** Keeps aggregated ClusterRoles (admin, edit, view, and any user-defined one) current. */
  readonly aggregator: ClusterRoleAggregator;

  constructor(private readonly options: GatewayAuthOptions) {
    const logger = options.logger ?? silentLogger;
    this.ownsFactory = options.factory === undefined;
    this.factory =
      options.factory ??
      new SharedInformerFactory(options.store, options.registry ?? new ResourceRegistry(), options.clock ? { clock: options.clock, logger } : { logger });
    this.issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    this.apiAudiences = options.apiAudiences && options.apiAudiences.length > 0 ? [...options.apiAudiences] : [this.issuer];
    this.authorizer = new RbacAuthorizer(this.factory);
    this.aggregator = new ClusterRoleAggregator({ store: options.store, factory: this.factory, logger });
    this.serviceAccounts = this.factory.informerFor<ServiceAccount>('serviceaccounts');
    this.secrets = userTokenSecretInformer(options.store, options.clock);
    this.userTokens = new TokenAuthenticator(this.secrets, { ...options.tokenCache, ...(options.clock ? { clock: options.clock } : {}) });
    const serviceAccountTokens = (this.serviceAccountTokens = new ServiceAccountTokenAuthenticator({
      serviceAccounts: this.serviceAccounts,
      keys: [options.serviceAccountKey, ...(options.extraVerificationKeys ?? [])],
      issuer: this.issuer,
      audiences: this.apiAudiences,
      ...(options.clock ? { clock: options.clock } : {}),
    }));
    this.authenticator = new UnionAuthenticator([new ClientCertificateAuthenticator(), this.userTokens, serviceAccountTokens], {
      anonymous: options.anonymous ?? true,
    });
    this.tokenAuthenticator = new UnionAuthenticator([this.userTokens, serviceAccountTokens], { anonymous: false });
  }

  /** Reconciles the bootstrap policy, starts the informers, and resolves once every cache has synced. */
  async start(signal?: AbortSignal): Promise<void> {
    if (!this.options.skipBootstrapPolicy) await ensureBootstrapPolicy(this.options.store);
    this.secrets.start();
    this.factory.start();
    await Promise.all([this.secrets.waitForSync(signal), this.factory.waitForSync(signal)]);
    this.aggregator.start();
  }

  /** Stops the informers this object started (a shared factory is left to its owner). */
  stop(): void {
    void this.aggregator.stop();
    this.userTokens.close();
    this.serviceAccountTokens.close();
    this.secrets.stop();
    if (this.ownsFactory) this.factory.stop();
  }

  /** Authenticates and authorizes one request (see `checkRequest`). */
  check(req: CheckedRequest): Promise<RequestCheck> {
    return checkRequest(this.authenticator, this.authorizer, req);
  }

  /** Refuses (403) a write of an RBAC object that would grant `user` more than they hold (see `checkRbacWrite`). */
  checkRbacWrite(user: UserInfo, obj: KubeObject, operation: 'create' | 'update'): void {
    checkRbacWrite(this.authorizer, user, obj, operation);
  }

  /** Answers `POST .../serviceaccounts/NAME/token` for the stored `serviceAccount`. */
  tokenRequest(serviceAccount: Pick<ServiceAccount, 'metadata'>, body: unknown): TokenRequest {
    return serviceAccountTokenRequest(serviceAccount, body, {
      key: this.options.serviceAccountKey,
      issuer: this.issuer,
      apiAudiences: this.apiAudiences,
      ...(this.options.clock ? { now: new Date(this.options.clock.now()) } : {}),
    });
  }

  /** Answers a SelfSubjectAccessReview posted by `user`. */
  selfSubjectAccessReview(user: UserInfo, body: unknown): SelfSubjectAccessReview {
    return selfSubjectAccessReview(this.authorizer, user, body);
  }

  /** Answers a SelfSubjectRulesReview: the caller's rules in a namespace (`kubectl auth can-i --list`). */
  selfSubjectRulesReview(user: UserInfo, body: unknown): SelfSubjectRulesReview {
    return selfSubjectRulesReview(this.authorizer, user, body);
  }

  /** Answers a SelfSubjectReview posted by `user`. */
  selfSubjectReview(user: UserInfo, body?: unknown): SelfSubjectReview {
    return body === undefined ? selfSubjectReview(user) : selfSubjectReview(user, body);
  }

  /** Answers a TokenReview (the caller must be allowed to `create tokenreviews`). */
  tokenReview(body: unknown): Promise<TokenReview> {
    return tokenReview(this.tokenAuthenticator, body, { apiAudiences: this.apiAudiences });
  }
}
