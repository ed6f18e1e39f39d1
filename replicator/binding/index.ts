/** Binding: templates + policies + clusters → placement and the desired state per cluster. */
export * from './binding-controller.js';
