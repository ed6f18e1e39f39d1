/**
 * apimachinery: the object model shared by every part of fedgate — TypeMeta/ObjectMeta,
 * `StatusError` and its predicates, names and labels, selectors, patches, schema
 * validation and the resource registry.
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
export * from './registry.js';
export { schemaFor, compileAllSchemas, validateObject } from './validation.js';
export { MAX_CONFIG_DATA_BYTES } from './validation-semantics.js';
export * from './quantity.js';
export * from './federation-types.js';
export * from './grpc-status.js';
export * from './auth.js';
