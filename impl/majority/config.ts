import { ConfigError } from '../../spec/errors.js';
import { MAJORITY_DEFAULTS, type MajorityConfig } from '../../spec/majority.js';

export { MAJORITY_DEFAULTS };

/** LAN: the defaults. WAN: slower links, so longer timeouts. Local: a laptop cluster or a test. */
export const MAJORITY_PRESETS: Readonly<Record<'lan' | 'wan' | 'local', MajorityConfig>> = {
  lan: MAJORITY_DEFAULTS,
  wan: { ...MAJORITY_DEFAULTS, registrationTimeoutMs: 10_000, retryBaseMs: 2_000, healthTimeoutMs: 5_000, healthIntervalMs: 10_000 },
  local: { ...MAJORITY_DEFAULTS, registrationTimeoutMs: 500, reannounceIntervalMs: 3_000, retryBaseMs: 100, healthIntervalMs: 500, healthTimeoutMs: 200 },
};

export function majorityConfig(overrides: Partial<MajorityConfig> = {}): MajorityConfig {
  const c = { ...MAJORITY_DEFAULTS, ...overrides };
  for (const [k, v] of Object.entries(c)) {
    // The one switch among the durations: which variant runs (spec/majority.ts).
    if (k === 'versionedRecords') {
      if (v !== undefined && typeof v !== 'boolean') throw new ConfigError(k, `expected true or false, got ${String(v)}`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ConfigError(k, `expected a whole number ≥ 0, got ${String(v)}`);
  }
  if (c.registrationTimeoutMs === 0) throw new ConfigError('registrationTimeoutMs', 'must be > 0, or registration never resolves');
  if (c.healthIntervalMs === 0 || c.healthTimeoutMs === 0) throw new ConfigError('healthIntervalMs', 'health polling needs a positive interval and timeout');
  if (c.healthTimeoutMs >= c.healthIntervalMs) {
    throw new ConfigError('healthTimeoutMs', `must be shorter than healthIntervalMs (${c.healthIntervalMs}), or polls overlap`);
  }
  return c;
}
