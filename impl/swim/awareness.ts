/**
 * Lifeguard's local health multiplier. A node that misses acks or nacks, or must refute its own
 * suspicion, is probably the slow one; it stretches its own probe interval and timeouts by
 * (1 + score) instead of accusing others, and recovers one step per successful probe.
 */
export function adjustAwareness(score: number, delta: number, maxMultiplier: number): number {
  return Math.max(0, Math.min(maxMultiplier - 1, score + delta));
}

export function scaled(ms: number, score: number): number {
  return ms * (score + 1);
}
