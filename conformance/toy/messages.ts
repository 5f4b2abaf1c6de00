/**
 * The toy protocol the harness tests itself on: each node pings a peer it picks on every tick (an
 * open choice), answers pings with pongs, and counts the pongs it gets. Small enough to read in one
 * sitting, with every feature the harness must handle: messages, timers, a choice, crash/restart.
 */
export type ToyMessage = { readonly kind: 'ping'; readonly seq: number } | { readonly kind: 'pong'; readonly seq: number };

export interface ToyConfig {
  /** Tick period, ms. 1000: any value works; the harness drives timers explicitly. */
  readonly tickMs: number;
}

export const TOY_DEFAULTS: ToyConfig = { tickMs: 1_000 };
export const TOY_TICK = 'tick';
