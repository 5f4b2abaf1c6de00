/**
 * Messages of Inferno's majority-rule service discovery (spec/majority.md). Records travel at the
 * wire's precision: PeerInfo in registration replies carries whole seconds, as Inferno's JSON does.
 */
import type { NodeId, NodeInfo, NodeVitals, PeerInfo } from './node.js';

export type MajorityMessage =
  /** "Here I am": the sender's own record and update version. Sent at start and every re-announce. */
  | { readonly kind: 'register'; readonly info: NodeInfo; readonly version: number }
  /** The receiver's known peers (itself included) after adding the registrant. */
  | { readonly kind: 'registerReply'; readonly peers: readonly PeerInfo[] }
  /** A self-sovereign update: only `originator` may change `info`, and only its own. */
  | { readonly kind: 'update'; readonly originator: NodeId; readonly info: NodeInfo; readonly version: number }
  | { readonly kind: 'updateAck'; readonly originator: NodeId; readonly version: number }
  /** A load balancer polls a backend's metrics port. */
  | { readonly kind: 'vitalsRequest' }
  | { readonly kind: 'vitalsReply'; readonly vitals: NodeVitals };

/** Knobs of a majority node. Defaults (impl/majority/config.ts) follow Inferno's. */
export interface MajorityConfig {
  /** How long registration waits for replies before resolving with what it has, ms. */
  readonly registrationTimeoutMs: number;
  /** Re-announce period (Inferno's announce_interval), ms; 0 disables re-registration. */
  readonly reannounceIntervalMs: number;
  /** Update broadcast retries after the first send (Inferno: 4). */
  readonly maxUpdateRetries: number;
  /** First retry delay; each retry doubles it (Inferno: 1 s). */
  readonly retryBaseMs: number;
  /** Load balancers poll each backend's vitals this often (Inferno: 5 s). */
  readonly healthIntervalMs: number;
  /** A backend that has not answered a poll within this is removed (Inferno: 2 s). */
  readonly healthTimeoutMs: number;
}
// The switch to the `majority-hardened` variant, `versionedRecords`, is declared beside its rule in
// spec/majority-hardened.ts: it picks a protocol rather than tuning this one, so it is not a knob.

/**
 * Inferno's figures. Registration timeout 5 s: Inferno's client request timeout. Re-announce 30 s:
 * the announce_interval of Inferno's discovery config. Retries 4 from 1 s doubling: retry.rs. Health
 * polling every 5 s with a 2 s timeout: the health_check interval and timeout of the discovery config.
 */
export const MAJORITY_DEFAULTS: MajorityConfig = {
  registrationTimeoutMs: 5_000,
  reannounceIntervalMs: 30_000,
  maxUpdateRetries: 4,
  retryBaseMs: 1_000,
  healthIntervalMs: 5_000,
  healthTimeoutMs: 2_000,
};

export const MAJORITY_TIMERS = {
  registration: 'registration',
  reannounce: 'reannounce',
  retry: 'updateRetry',
  health: 'health',
  healthTimeout: 'healthTimeout',
} as const;

/** Vitals a node reports before its application has reported any: ready, idle. */
export const DEFAULT_VITALS: NodeVitals = {
  ready: true,
  requestsInProgress: 0,
  cpuUsage: 0,
  memoryUsage: 0,
  failedResponses: 0,
  connectedPeers: 0,
  backoffRequests: 0,
};
