/**
 * Alice's public API. Everything a user of the library, the checker or the experiment needs is
 * exported from here, so `import { resolveConsensus } from 'alice'` works inside the project.
 */
export * from './spec/index.js';
export { machineBehaviour, ModelError, type MachineBehaviourOptions } from './model/adapter.js';
export * from './spec/majority.js';
export * from './impl/majority/index.js';
export * from './model/majority/index.js';
export { LocalCluster, type ClusterEvent, type LocalClusterOptions } from './impl/runtime/local-cluster.js';
export * from './checker/index.js';
export * from './conformance/index.js';
export * from './model/counters/index.js';
