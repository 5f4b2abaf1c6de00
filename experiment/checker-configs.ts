/**
 * The checker runs behind the report's property table (`npm run check:report`): which model, which
 * timing, how long, and one sentence a reader needs to know what the column means. Each run is saved
 * with its configuration, so the report explains the columns from the results file, not from here.
 */

export interface CheckConfiguration {
  /** Column id in the report and stem of its counterexample files (docs/results/traces/<id>.json). */
  readonly id: string;
  /** Model protocol name as `alice check` knows it (cli/protocols.ts). */
  readonly protocol: string;
  /** The simulator protocol whose verdicts this column speaks for (the recommendation's R1). */
  readonly speaksFor: string;
  readonly timing: 'async' | 'bounded';
  readonly timeLimitSec: number;
  /** What the configuration is, for the report's explanation row. */
  readonly what: string;
}

// Time limits: async runs get 40 s (BFS on 3 nodes then stops at depth 6 or 7, a little short of the
// 60 s default's depth 7); bounded runs get 20 s, since they add only the verdicts async timing cannot
// give (properties that assume bounded timing). Ten runs one at a time: about 5 minutes on a shared
// 2-core machine. The report prints the depth and states each run actually reached.
export const CHECK_CONFIGURATIONS: readonly CheckConfiguration[] = [
  {
    id: 'majority',
    protocol: 'majority',
    speaksFor: 'majority',
    timing: 'async',
    timeLimitSec: 40,
    what: 'the majority model (model/majority); async timing: any message may wait any time and timers fire in any order',
  },
  {
    id: 'majority-bounded',
    protocol: 'majority',
    speaksFor: 'majority',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the same model under bounded timing: a discrete clock, every message delivered within 10 ms, timers fire at their deadlines (what `accuracy` assumes)',
  },
  {
    id: 'swim',
    protocol: 'swim',
    speaksFor: 'swim',
    timing: 'async',
    timeLimitSec: 40,
    what: 'the SWIM model (model/swim) with its default model config: push-pull anti-entropy off to keep the state space small, so an update travels only by piggyback within its retransmit budget; async timing',
  },
  {
    id: 'swim-bounded',
    protocol: 'swim',
    speaksFor: 'swim',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the same SWIM model (push-pull off) under bounded timing',
  },
  {
    id: 'swim-pushpull',
    protocol: 'swim-pushpull',
    speaksFor: 'swim',
    timing: 'async',
    timeLimitSec: 40,
    what: 'the SWIM model with push-pull anti-entropy on, every 3 s of model time (production has it on too: every 30 s on a LAN, impl/swim/config.ts); async timing',
  },
  {
    id: 'swim-pushpull-bounded',
    protocol: 'swim-pushpull',
    speaksFor: 'swim',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the SWIM model with push-pull on, under bounded timing',
  },
  {
    id: 'inferno-current',
    protocol: 'inferno-current',
    speaksFor: 'inferno-current',
    timing: 'async',
    timeLimitSec: 40,
    what: "the inferno-current model (model/inferno): backends register once with the load balancer, which runs the proxy binary's health loop (30 s, one TCP connect at a time, 5 s timeout); async timing",
  },
  {
    id: 'inferno-current-bounded',
    protocol: 'inferno-current',
    speaksFor: 'inferno-current',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the same model under bounded timing',
  },
  {
    id: 'hybrid',
    protocol: 'hybrid',
    speaksFor: 'hybrid',
    timing: 'async',
    timeLimitSec: 40,
    what: "the hybrid model (model/hybrid): the SWIM model among the load balancers (half the nodes, rounded up), backends registering once with them, the proxy binary's health loop; async timing",
  },
  {
    id: 'hybrid-bounded',
    protocol: 'hybrid',
    speaksFor: 'hybrid',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the same model under bounded timing',
  },
  {
    id: 'majority-hardened',
    protocol: 'majority-hardened',
    speaksFor: 'majority-hardened',
    timing: 'async',
    timeLimitSec: 40,
    what: 'the majority model with versioned self-sovereign records (spec/majority-hardened.ts: only strictly newer records apply, the newest version wins a resolution), the same declared faults as majority; async timing',
  },
  {
    id: 'majority-hardened-bounded',
    protocol: 'majority-hardened',
    speaksFor: 'majority-hardened',
    timing: 'bounded',
    timeLimitSec: 20,
    what: 'the same model under bounded timing',
  },
];
