/**
 * apimachinery: the object model shared by every part of fedgate — TypeMeta/ObjectMeta,
 * `StatusError` and its predicates, names and labels, selectors, patches, schema
 * validation and the resource registry.
 *
 * ```ts
 * import { ResourceRegistry, storeKey, isNotFound } from '../apimachinery/index.js';
 * const deployments = new ResourceRegistry().byResource('apps', 'v1', 'deployments')!;
 * storeKey(deployments, 'shop', 'web'); // '/registry/apps/deployments/shop/web'
 * ```
 */
export * from './errors.js';
export * from './object.js';
export * from './registry.js';
