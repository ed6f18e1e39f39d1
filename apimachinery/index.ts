/**
 * apimachinery: the object model shared by every part of fedgate — TypeMeta/ObjectMeta,
 * `StatusError` and its predicates, names and labels, selectors, patches (JSON, merge,
 * strategic merge), field ownership and server-side apply, schema validation (strict
 * field validation included) and the resource registry.
 *
 * ```ts
 * import { ResourceRegistry, storeKey, validateObject, invalid, parseLabelSelector, applyMergePatch } from '../apimachinery/index.js';
 * const deployments = new ResourceRegistry().byResource('apps', 'v1', 'deployments')!;
 * storeKey(deployments, 'shop', 'web'); // '/registry/apps/deployments/shop/web'
 *
 * const causes = validateObject(deployments, body);       // [] when valid
 * if (causes.length > 0) throw invalid(body.kind, body.metadata?.name, causes, deployments.group);
 * const sel = parseLabelSelector('app=web,tier in (front)'); // BadRequest on bad syntax
 * const patched = applyMergePatch(current, patch);       // pure; RFC 7386
 * ```
 */
export * from './errors.js';
export * from './field-causes.js';
export * from './field-selector.js';
export * from './label-selector.js';
export * from './meta.js';
export * from './names.js';
export * from './object.js';
export * from './patch.js';
export * from './strategic-merge-patch.js';
export * from './schema-walk.js';
export * from './field-set.js';
export * from './managed-fields.js';
export * from './field-validation.js';
export * from './registry.js';
export { schemaFor, compileAllSchemas, validateObject, validateObjectUpdate } from './validation.js';
export { MIN_TOKEN_REQUEST_SECONDS, MAX_TOKEN_REQUEST_SECONDS } from './validation-rbac.js';
export { apiSchemaFor, objectMetaSchema } from './validation.js';
export { MAX_CONFIG_DATA_BYTES } from './validation-semantics.js';
export * from './quantity.js';
export * from './federation-types.js';
export * from './grpc-status.js';
export * from './auth.js';
export * from './auth-review-types.js';
export * from './rbac-types.js';
