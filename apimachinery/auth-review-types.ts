/**
 * The review kinds of `authorization.k8s.io/v1` and `authentication.k8s.io/v1`
 * (SelfSubjectAccessReview, SelfSubjectReview, TokenReview) and TokenRequest, the body of
 * `serviceaccounts/NAME/token`. Reviews are never stored: the API server answers a POST
 * with the same object and its `status` filled in. Field names follow k8s.io/api.
 */
import type { KubeObject } from './object.js';

/** The authorization API group (access reviews). */
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
/** The authentication API group (token and self-subject reviews, token requests). */
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** authorizationv1.ResourceAttributes: a resource request to judge. Empty strings mean "any"/"none" as in Kubernetes. */
export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** authorizationv1.NonResourceAttributes: a non-resource request (`/healthz`, `/version`) to judge. */
export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

/** SelfSubjectAccessReview.spec: exactly one of the two attribute sets. */
export interface SelfSubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

/** authorizationv1.SubjectAccessReviewStatus: what `kubectl auth can-i` reads. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  /** True only when an authorizer denied explicitly (RBAC never does: it allows or has no opinion). */
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** authorizationv1.SelfSubjectAccessReview: "may I do this?" for the caller. */
export interface SelfSubjectAccessReview extends KubeObject {
  spec: SelfSubjectAccessReviewSpec;
  status?: SubjectAccessReviewStatus;
}

/** authorizationv1.ResourceRule: what a SelfSubjectRulesReview lists for resources. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorizationv1.NonResourceRule. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** authorizationv1.SelfSubjectRulesReview: "what may I do in this namespace?" (`kubectl auth can-i --list`). */
export interface SelfSubjectRulesReview extends KubeObject {
  spec: { namespace?: string };
  status?: { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean; evaluationError?: string };
}

/** authenticationv1.UserInfo as reviews carry it. */
export interface ReviewUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** authenticationv1.SelfSubjectReview: "who am I?" (`kubectl auth whoami`). */
export interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: ReviewUserInfo };
}

/** authenticationv1.TokenReview: is this bearer token valid, and whose is it? */
export interface TokenReview extends KubeObject {
  spec: { token?: string; audiences?: string[] };
  status?: { authenticated?: boolean; user?: ReviewUserInfo; audiences?: string[]; error?: string };
}

/** authenticationv1.BoundObjectReference: the object a service account token dies with. */
export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

/** authenticationv1.TokenRequest: the body and answer of `POST .../serviceaccounts/NAME/token`. */
export interface TokenRequest extends KubeObject {
  /** Go clients send unset fields as null. */
  spec: { audiences?: string[] | null; expirationSeconds?: number | null; boundObjectRef?: BoundObjectReference | null };
  status?: { token: string; expirationTimestamp: string };
}
