/**
 * Authentication and authorization of API requests, in kube-apiserver's filter order: every
 * request (watches and lists across namespaces included) is authenticated (401 Status) and
 * authorized (403 Status) before routing, and the user is kept on `ctx.state` for the
 * handlers, the rate limiter and the audit log. The checks themselves come from the caller
 * (`ApiAuth`, which auth/'s GatewayAuth satisfies), so this folder does not depend on them.
 */
import type { TLSSocket } from 'node:tls';
import type { Context, Next } from 'koa';
import {
  refusedUserOf,
  StatusError,
  StatusReason,
  SYSTEM_AUTHENTICATED,
  SYSTEM_MASTERS,
  type Authenticator,
  type AuthnRequest,
  type AuthzAttributes,
  type KubeObject,
  type ServiceAccount,
  type UserInfo,
} from '../apimachinery/index.js';
import type { Store } from '../store/index.js';

/** What the API server needs of authentication and authorization (auth/'s GatewayAuth has it all). */
export interface ApiAuth {
  /** Fills caches (roles, bindings, tokens); the gateway awaits it before listening. */
  start(): Promise<void>;
  stop(): void;
  /**
   * Authenticates and authorizes one request; throws a 401 or 403 StatusError. With
   * `Impersonate-*` headers, `user` is the impersonated user and `impersonator` who asked.
   */
  check(req: ApiAuthRequest): Promise<{ user: UserInfo; impersonator?: UserInfo; attributes: AuthzAttributes }>;
  /** Authentication alone: names the user of a refused (403) request in the audit log. */
  readonly authenticator: Authenticator;
  /** 403 when storing this Role, ClusterRole or binding would grant `user` more than they hold. */
  checkRbacWrite(user: UserInfo, obj: KubeObject, operation: 'create' | 'update'): void;
  selfSubjectAccessReview(user: UserInfo, body: unknown): unknown;
  selfSubjectRulesReview(user: UserInfo, body: unknown): unknown;
  selfSubjectReview(user: UserInfo, body?: unknown): unknown;
  tokenReview(body: unknown): Promise<unknown>;
  tokenRequest(serviceAccount: Pick<ServiceAccount, 'metadata'>, body: unknown): unknown;
}

/** Builds the request checks over the gateway's watch cache (called once, in `start()`). */
export type ApiAuthFactory = (store: Store) => ApiAuth;

/** An HTTP request as `ApiAuth.check` sees it. */
export interface ApiAuthRequest extends AuthnRequest {
  method: string;
  path: string;
  query?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * The user of every request on a server without authentication (`--insecure-http`, a
 * member's loopback API): all-powerful, as kube-apiserver's old insecure port was.
 */
export const INSECURE_USER: Readonly<UserInfo> = Object.freeze({ username: 'admin', groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] });

/**
 * The organization of member clusters' client certificates. The gateway CA signs them for the
 * gRPC member port; they must never authenticate on the REST API.
 */
export const MEMBER_CERTIFICATE_ORGANIZATION = 'fedgate:members';

interface AuthState {
  user?: UserInfo;
  /** Who authenticated, when the request acts as another user (`kubectl --as`). */
  impersonator?: UserInfo;
}

/** The user of the request, once authenticated (the insecure user on a server without authentication). */
export function userOf(ctx: Context): UserInfo {
  return (ctx.state as AuthState).user ?? INSECURE_USER;
}

/** Who authenticated, when the request impersonates another user. */
export function impersonatorOf(ctx: Context): UserInfo | undefined {
  return (ctx.state as AuthState).impersonator;
}

/** The user, when known (a 401 has none). */
export function knownUserOf(ctx: Context): UserInfo | undefined {
  return (ctx.state as AuthState).user;
}

/** The verified client certificate's subject, when the TLS layer verified one against the client CA. */
export function clientCertificateOf(ctx: Context): AuthnRequest['clientCertificate'] {
  const socket = ctx.req.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const cn = list(cert.subject.CN);
  return {
    commonName: cn.length === 1 ? cn[0]! : '',
    organizations: list(cert.subject.O),
    ...(cert.serialNumber ? { serialNumber: cert.serialNumber.toLowerCase() } : {}),
    ...(cert.valid_to ? { notAfter: cert.valid_to } : {}),
  };
}

function unauthorized(cause: string): StatusError {
  return new StatusError(StatusReason.Unauthorized, 'Unauthorized', {}, { cause: new Error(cause) });
}

/** The middleware: authenticate, authorize, keep the user; with no `auth`, every request is the insecure user. */
export function authentication(auth: ApiAuth | undefined, refusedOrganizations: readonly string[]) {
  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    if (!auth) {
      (ctx.state as AuthState).user = INSECURE_USER;
      return next();
    }
    const clientCertificate = clientCertificateOf(ctx);
    if (clientCertificate && clientCertificate.organizations.some((o) => refusedOrganizations.includes(o))) {
      throw unauthorized(`client certificates of ${clientCertificate.organizations.join(',')} are not accepted on the REST API`);
    }
    const req: ApiAuthRequest = {
      method: ctx.method,
      path: ctx.path,
      query: ctx.query,
      headers: ctx.headers,
      ...(clientCertificate ? { clientCertificate } : {}),
    };
    try {
      const { user, impersonator } = await auth.check(req);
      (ctx.state as AuthState).user = user;
      if (impersonator) (ctx.state as AuthState).impersonator = impersonator;
    } catch (err) {
      if (err instanceof StatusError && err.code === 403) {
        // Authenticated but refused: the audit log names who was refused (and who asked, for
        // an impersonated request).
        const refused = refusedUserOf(err);
        if (refused) {
          (ctx.state as AuthState).user = refused.user;
          if (refused.impersonator) (ctx.state as AuthState).impersonator = refused.impersonator;
        } else {
          const who = await auth.authenticator.authenticate(req).catch(() => null);
          if (who && 'user' in who) (ctx.state as AuthState).user = who.user;
        }
      }
      throw err;
    }
    return next();
  };
}
