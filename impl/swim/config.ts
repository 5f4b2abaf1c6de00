/**
 * Every knob of a SWIM core in one object, with LAN / WAN / local presets. Figures follow HashiCorp
 * memberlist's DefaultLANConfig / DefaultWANConfig / DefaultLocalConfig where they apply; the reason
 * for each is beside it.
 */
import { ConfigError } from '../../spec/errors.js';
import type { MemberUpdate, SwimConfig } from '../../spec/swim.js';

export interface SwimCoreConfig extends SwimConfig {
  /**
   * Encoded size of one piggybacked update, bytes. The codec supplies the exact one; without it the
   * core uses a conservative estimate (broadcast-queue.ts estimateSize). Kept as a hook so the core
   * never depends on the codec.
   */
  readonly sizeOf?: (update: MemberUpdate) => number;
}

export const SWIM_LAN: SwimCoreConfig = {
  // 1 s: memberlist LAN; one probe per second per node keeps probe traffic O(1) per node.
  probeIntervalMs: 1_000,
  // 500 ms: memberlist LAN; well above a LAN round trip (99.9th percentile), half the period for the indirect phase.
  probeTimeoutMs: 500,
  // k = 3: memberlist; three helpers make a false indirect failure unlikely without flooding.
  indirectChecks: 3,
  // 4: memberlist; floor = 4·max(1, log10 n) periods leaves time for the refutation to spread.
  suspicionMult: 4,
  // 6: memberlist (Lifeguard); an unconfirmed suspicion lasts up to 6× the floor.
  suspicionMaxTimeoutMult: 6,
  // λ = 4: memberlist; 4·⌈log10(n+1)⌉ transmissions reach everyone with high probability.
  retransmitMult: 4,
  // 8: memberlist; a slow node stretches its timeouts at most 8×.
  awarenessMaxMultiplier: 8,
  // 200 ms × 3 nodes: memberlist; gossip spreads updates faster than once-per-probe piggybacking.
  gossipIntervalMs: 200,
  gossipNodes: 3,
  // 30 s: memberlist; full-state anti-entropy repairs lost updates at modest cost. Above 32 members it
  // stretches by one interval per doubling (spec/swim.ts pushPullPeriod), as memberlist's does.
  pushPullIntervalMs: 30_000,
  // 5 s: a node tries one random table member, if dead, each period (push-pull.ts onReconnectTimer), so
  // the cluster tries about one sync per dead member per 5 s: a wrongly dead member (a healed
  // partition) is reached several times before it is reaped at 30 s, a crashed one costs ~6 refused
  // connections. Serf reconnects every 30 s, but keeps failed members 24 h; we reap at 30 s.
  reconnectIntervalMs: 5_000,
  // 1 s × 5 attempts: a seed that is still starting gets a few chances; then the failure is reported.
  joinRetryMs: 1_000,
  joinMaxAttempts: 5,
  // 30 s: memberlist's GossipToTheDeadTime; dead members linger long enough to spread their death.
  reapAfterMs: 30_000,
  // 5 s: vitals change fast; one record change per 5 s per node bounds metadata gossip.
  metadataMinIntervalMs: 5_000,
  // Lifeguard on: it is what cuts false positives under load.
  dogpile: true,
  // 1,400-byte datagrams (the codec's cap) minus ~100 bytes of header and ping fields.
  packetBudgetBytes: 1_300,
};

/** WAN: memberlist DefaultWANConfig figures (slower, lossier links; more patience everywhere). */
export const SWIM_WAN: SwimCoreConfig = {
  ...SWIM_LAN,
  probeIntervalMs: 5_000,
  probeTimeoutMs: 3_000,
  suspicionMult: 6,
  gossipIntervalMs: 500,
  gossipNodes: 4,
  pushPullIntervalMs: 60_000,
  // 10 s: six tries within the 60 s reap time, as on a LAN.
  reconnectIntervalMs: 10_000,
  joinRetryMs: 5_000,
  reapAfterMs: 60_000,
};

/** Local (loopback): memberlist DefaultLocalConfig figures; fast detection, tiny round trips. */
export const SWIM_LOCAL: SwimCoreConfig = {
  ...SWIM_LAN,
  probeIntervalMs: 1_000,
  probeTimeoutMs: 200,
  suspicionMult: 3,
  // λ = 4 as on a LAN, not memberlist's local 2: with 2, an update gets 2·⌈log10(n+1)⌉ = 4 sends per
  // node below 100 members, so ~e^-4 ≈ 2 % of (member, update) pairs miss it and wait for push-pull.
  // Measured with the bench's 100 ms period: 100 nodes joining converged at 45.7 s (the push-pull
  // period) in the simulator, 1.2 s with λ 4; on loopback, missed refutations at 10 % loss made
  // hundreds of false failures (bench/swim-net.bench.ts). Loopback bytes are free.
  retransmitMult: 4,
  gossipIntervalMs: 100,
  pushPullIntervalMs: 15_000,
  // 2.5 s: six tries within the 15 s reap time.
  reconnectIntervalMs: 2_500,
  reapAfterMs: 15_000,
};

export const SWIM_PRESETS = { lan: SWIM_LAN, wan: SWIM_WAN, local: SWIM_LOCAL } as const;

/** Throws a ConfigError naming the first knob out of range. */
export function validateSwimConfig(cfg: SwimCoreConfig): SwimCoreConfig {
  const positive: (keyof SwimConfig)[] = ['probeIntervalMs', 'probeTimeoutMs', 'joinRetryMs', 'packetBudgetBytes', 'retransmitMult', 'awarenessMaxMultiplier', 'suspicionMult'];
  for (const k of positive) {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(k, `must be a positive number, got ${String(v)}`);
  }
  const nonNegative: (keyof SwimConfig)[] = ['indirectChecks', 'gossipIntervalMs', 'gossipNodes', 'pushPullIntervalMs', 'reconnectIntervalMs', 'joinMaxAttempts', 'reapAfterMs', 'metadataMinIntervalMs'];
  for (const k of nonNegative) {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(k, `must be a number ≥ 0, got ${String(v)}`);
  }
  if (cfg.probeTimeoutMs > cfg.probeIntervalMs) throw new ConfigError('probeTimeoutMs', 'must not exceed probeIntervalMs (the indirect phase needs the rest of the period)');
  if (cfg.suspicionMaxTimeoutMult < 1) throw new ConfigError('suspicionMaxTimeoutMult', 'must be ≥ 1');
  if (cfg.suspicionTimeoutMs !== undefined && !(cfg.suspicionTimeoutMs > 0)) throw new ConfigError('suspicionTimeoutMs', 'must be > 0 when set');
  return cfg;
}
