/**
 * Rendering: what each member cluster receives for a template (server fields stripped,
 * replicas set, fedgate's marks, OverridePolicies applied) and which other objects the
 * template needs there. Pure functions, no I/O.
 *
 * ```ts
 * import { renderForCluster, dependenciesOf } from './render/index.js';
 * const { object, overrides } = renderForCluster(template, clusterView, overridePolicies, { replicas: 4 });
 * const deps = dependenciesOf(template, { services });
 * ```
 */
export * from './render.js';
export * from './overrides.js';
export * from './image-reference.js';
export * from './pod-template.js';
export * from './dependencies.js';
