/**
 * The hybrid core's knobs: SWIM among load balancers and Inferno's health-check figures, unchanged.
 */
import { ConfigError } from '../../spec/errors.js';
import { HYBRID_HEALTH_DEFAULTS, HYBRID_LIBRARY_HEALTH, type HybridConfig } from '../../spec/hybrid.js';
import { SWIM_LAN, type SwimCoreConfig, validateSwimConfig } from '../swim/config.js';

export type HybridCoreConfig = HybridConfig<SwimCoreConfig>;

/**
 * The baseline: memberlist's LAN SWIM among load balancers (impl/swim/config.ts gives each value
 * beside memberlist's; Inferno's SwimConfig10k, 100 ms probes, 50 ms timeout, 10 s suspicion, is not
 * used: its probe loop never times a probe out, docs/hybrid.md), and the health checks the proxy
 * binary runs: every 30 s, one TCP connect at a time, 5 s timeout, `ready` not read (the same loop as
 * inferno-current: "health checks unchanged").
 */
export const HYBRID_DEFAULTS: HybridCoreConfig = { swim: SWIM_LAN, ...HYBRID_HEALTH_DEFAULTS, variant: 'baseline' };

/** Variant `hybrid-shared`: the same, with every LB telling the others which backends it routes to. */
export const HYBRID_SHARED: HybridCoreConfig = { ...HYBRID_DEFAULTS, variant: 'shared' };

/** Variant `hybrid-library-health`: the baseline with the library's 5 s / 2 s checks that read `ready`. */
export const HYBRID_WITH_LIBRARY_HEALTH: HybridCoreConfig = { ...HYBRID_DEFAULTS, ...HYBRID_LIBRARY_HEALTH };

/** Throws a ConfigError naming the first knob out of range. */
export function validateHybridConfig(cfg: HybridCoreConfig): HybridCoreConfig {
  validateSwimConfig(cfg.swim);
  if (cfg.healthLoop !== 'proxy' && cfg.healthLoop !== 'library') throw new ConfigError('healthLoop', `must be 'proxy' or 'library', got '${String(cfg.healthLoop)}'`);
  for (const k of ['healthIntervalMs', 'healthTimeoutMs', 'shareIntervalMs'] as const) {
    const v = cfg[k];
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(k, `must be a positive number of ms, got ${String(v)}`);
  }
  if (cfg.healthTimeoutMs > cfg.healthIntervalMs) throw new ConfigError('healthTimeoutMs', 'must not exceed healthIntervalMs (a check must end before the next round)');
  if (cfg.variant !== 'baseline' && cfg.variant !== 'shared') throw new ConfigError('variant', `must be 'baseline' or 'shared', got '${String(cfg.variant)}'`);
  return cfg;
}
