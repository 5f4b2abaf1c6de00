/**
 * The simulator engine's own speed and memory at 10,000 nodes × 100 protocol periods, with a protocol
 * whose step costs almost nothing (every period each node pings one peer chosen by its own seeded
 * generator; the peer acks): what is left is the event queue, timers, network model and bookkeeping.
 * Prints the median of three runs. Run: npm run bench:sim
 */
import { makeNodeInfo } from '../spec/node.js';
import type { NodeBehaviour, NodeSetup, Output } from '../spec/step.js';
import { median } from '../bench/stats.js';
import { mix32 } from '../spec/prng.js';
import { Simulator } from './simulator.js';
import type { SimProtocol } from './sim-protocol.js';

interface PingState {
  readonly id: string;
  readonly n: number;
  readonly rng: number;
  readonly acks: number;
}
type PingMsg = { readonly kind: 'ping' } | { readonly kind: 'ack' };

const PERIOD = 1_000;
const tick: Output<PingMsg> = { type: 'setTimer', timer: 'tick', after: PERIOD };

const pinger: NodeBehaviour<PingState, PingMsg, null> = {
  protocol: 'pinger',
  init: (s: NodeSetup<null>) => ({ state: { id: s.id, n: Number(s.seeds[0]), rng: s.rngSeed, acks: 0 }, outputs: [tick] }),
  step(state, input) {
    if (input.type === 'timer') {
      const rng = mix32(state.rng + 1);
      const to = `n${((rng >>> 0) % state.n) + 1}`;
      return { state: { ...state, rng }, outputs: [tick, { type: 'send', to, message: { kind: 'ping' } }] };
    }
    if (input.type === 'receive' && input.message.kind === 'ping') return { state, outputs: [{ type: 'send', to: input.from, message: { kind: 'ack' } }] };
    if (input.type === 'receive') return { state: { ...state, acks: state.acks + 1 }, outputs: [] };
    return { state, outputs: [] };
  },
  view: (s) => ({ self: s.id, members: {} }),
  encode: (s) => JSON.stringify(s),
};

const protocol: SimProtocol<PingState, PingMsg, null> = {
  definition: { name: 'pinger', behaviour: pinger, properties: [], cluster: () => [] },
  sizeOf: () => 16,
  sizeNote: 'fixed 16 bytes',
  kindOf: (m) => m.kind,
  memberView: () => undefined,
  periodMs: PERIOD,
  steadyWindowMs: PERIOD,
};

function once(n: number, periods: number): { wallMs: number; events: number; heapMB: number } {
  const before = process.memoryUsage().heapUsed;
  const setups: NodeSetup<null>[] = Array.from({ length: n }, (_, i) => ({
    id: `n${i + 1}`,
    info: makeNodeInfo(`n${i + 1}`, '10.0.0.1:8080', 9090, 'backend', 0),
    // The cluster size travels in the seed list, so the protocol stays a pure function of its setup.
    seeds: [String(n)],
    now: 0,
    rngSeed: i + 1,
    config: null,
  }));
  const t0 = performance.now();
  const sim = new Simulator(protocol, setups, { seed: 1, measureCpu: false });
  for (let i = 0; i < n; i++) sim.at((i * PERIOD) / n, () => sim.start(i));
  let peak = 0;
  for (let p = 1; p <= periods; p++) {
    sim.runUntil(p * PERIOD);
    if (p % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  }
  return { wallMs: performance.now() - t0, events: sim.eventCount, heapMB: peak / 1e6 };
}

const n = Number(process.argv[2] ?? 10_000);
const periods = Number(process.argv[3] ?? 100);
const runs = [once(n, periods), once(n, periods), once(n, periods)];
console.log(
  `simulator engine, ${n} nodes × ${periods} periods (ping + ack per node per period): ` +
    `median ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(2)} s wall, ${runs[0].events.toLocaleString('en-US')} events, ` +
    `heap growth ≤ ${Math.max(...runs.map((r) => r.heapMB)).toFixed(0)} MB (runs: ${runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')} s)`,
);
