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
// SWIM at the edge: runtime, codec, transports, security, the library API and the discovery HTTP API.
export { NodeRuntime, RuntimeError, type RuntimeOptions } from './impl/runtime/runtime.js';
export { FakeTime, systemClock, systemScheduler, type Clock, type Scheduler, type Transport } from './impl/runtime/types.js';
export { MemoryNetwork } from './impl/runtime/memory-transport.js';
export { SwimCodec, CODEC_VERSION, DEFAULT_MAX_DATAGRAM } from './impl/swim/codec.js';
export { Keyring, KeyringError, loadKeyFile, parseKeyFile } from './impl/swim/keyring.js';
export { ClusterAuthority, RecordSigner, RecordVerifier, SigningError } from './impl/swim/signing.js';
export { NetTransport, TransportError } from './impl/swim/transport-udp.js';
export { Metrics } from './impl/swim/metrics.js';
export { DiscoveryHttpServer, type DiscoverySource } from './impl/swim/http.js';
export { DiscoveryNode, createSwimNode, type MemberEvents, type MemberEventName, type SwimNode, type SwimNodeOptions } from './impl/swim/node.js';
export { LoopbackCluster } from './impl/swim/loopback-cluster.js';
// SWIM: spec (messages, precedence, properties), the sans-IO core, and the XState model.
export * from './spec/swim.js';
export * from './spec/swim-properties.js';
export { swimCore, swimNode, swimView, swimImplProtocol, swimCluster, swimHealthyBackends, SWIM_LAN, SWIM_WAN, SWIM_LOCAL, SWIM_PRESETS, validateSwimConfig, estimateUpdateSize, type SwimCoreConfig, type SwimState, type SwimMember } from './impl/swim/index.js';
export { members as swimMembers } from './impl/swim/discovery.js';
export { swimProtocol, swimModel, swimMachine, swimModelView, swimChoices, SWIM_MODEL_CONFIG, type SwimContext, type SwimSnapshot } from './model/swim/index.js';
