/**
 * Kinds that are answered, never stored (kube-apiserver's review registries): POST a
 * SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth
 * can-i --list`), SelfSubjectReview (`kubectl auth whoami`)
 * or TokenReview and get it back with `status` filled in (201); POST a TokenRequest to
 * `serviceaccounts/NAME/token` (`kubectl create token`) and get a signed token.
 */
import type { Context } from 'koa';
import { StatusError, StatusReason, type KubeObject } from '../apimachinery/index.js';
import { userOf, type ApiAuth } from './api-auth.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { readObjectBody, readRawBody } from './request-body.js';
import { decodeReviewProtobuf, KUBERNETES_PROTOBUF } from './review-protobuf.js';

function authOf(api: ApiServices): ApiAuth {
  // The review kinds are registered only with authentication configured; this is a wiring error.
  if (!api.auth) throw new StatusError(StatusReason.NotFound, 'the server could not find the requested resource');
  return api.auth;
}

/** POST of a review kind: the review with its status, 201. */
export async function handleReview(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const auth = authOf(api);
  // kubectl's typed clients post the self reviews as protobuf.
  const protobuf = typeof ctx.is(KUBERNETES_PROTOBUF) === 'string' && req.resource.kind !== 'TokenReview';
  const body = protobuf ? decodeReviewProtobuf(await readRawBody(ctx, api.maxBodyBytes)) : await readObjectBody(ctx, api.maxBodyBytes);
  const user = userOf(ctx);
  let answer: unknown;
  switch (req.resource.kind) {
    case 'SelfSubjectAccessReview':
      answer = auth.selfSubjectAccessReview(user, body);
      break;
    case 'SelfSubjectRulesReview':
      answer = auth.selfSubjectRulesReview(user, body);
      break;
    case 'SelfSubjectReview':
      answer = auth.selfSubjectReview(user, body);
      break;
    case 'TokenReview':
      answer = await auth.tokenReview(body);
      break;
    default:
      throw new StatusError(StatusReason.MethodNotAllowed, `${req.resource.kind} is not answered by this server`);
  }
  ctx.status = 201;
  ctx.body = answer;
}

/** POST `serviceaccounts/NAME/token`: a TokenRequest with a fresh token for the stored ServiceAccount. */
export async function handleTokenRequest(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const auth = authOf(api);
  const account: KubeObject = await api.storage.get({ resource: req.resource, namespace: req.namespace, name: req.name! });
  const body = await readObjectBody(ctx, api.maxBodyBytes);
  ctx.status = 201;
  ctx.body = auth.tokenRequest(account, body);
}
