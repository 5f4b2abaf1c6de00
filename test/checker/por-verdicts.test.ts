/**
 * POR keeps verdicts: on every built-in model (and the request-ack example, and the majority model's
 * XState mutants), the search with and without partial-order reduction gives each safety property the
 * same verdict, finds a counterexample for the same properties, and the reduced search visits no more
 * states. The bounds are depths (a state bound cuts the two searches at different states), so each
 * reduced state within the bound is also a state of the full search within it.
 */
import { describe, expect, it } from 'vitest';
import { type CheckOptions, type ProtocolDefinition, check, replayTrace } from 'alice';
import { MODEL_PROTOCOLS } from '../../cli/protocols.js';
import { requestAck } from '../../examples/request-ack/model.js';
import { bounds, cases } from './majority-mutants.js';

type Any = ProtocolDefinition<unknown, unknown, unknown>;

function compare(protocol: Any, options: Partial<CheckOptions>): void {
  const safety = protocol.properties.filter((p) => p.temporal !== 'eventually').map((p) => p.name);
  const o = { maxStates: 0, timeLimitSec: 0, properties: safety, ...options };
  const full = check(protocol, o);
  const reduced = check(protocol, { ...o, por: true });
  const verdicts = (r: typeof full) => r.verdicts.map((v) => `${v.property}: ${v.status}`);
  expect(verdicts(reduced)).toEqual(verdicts(full));
  expect(reduced.stats.distinct).toBeLessThanOrEqual(full.stats.distinct);
  // A counterexample found with POR is one of the full model's: it replays there, violation included.
  for (const v of reduced.verdicts) if (v.trace && safety.includes(v.property)) expect(replayTrace(protocol, v.trace).reproduced, v.property).toBe(true);
}

/** Per built-in model: its declared faults at a small depth, and no faults a little deeper. */
const depths: Record<string, [number, number]> = {
  majority: [4, 5],
  'majority-hardened': [4, 5],
  'majority-finite': [5, 0],
  'majority-hardened-finite': [5, 0],
  swim: [4, 5],
  'swim-pushpull': [3, 4],
  'swim-lifeguard': [4, 5],
  'swim-reap': [4, 5],
  'inferno-current': [6, 7],
  'inferno-library-health': [6, 7],
  hybrid: [6, 7],
  'hybrid-shared': [5, 6],
  'hybrid-library-health': [6, 7],
  counters: [0, 0],
};

describe('every built-in model: the same safety verdicts with and without POR, never more states', () => {
  it('covers every model the CLI knows', () => {
    expect(Object.keys(depths).sort()).toEqual(Object.keys(MODEL_PROTOCOLS).sort());
  });
  for (const [name, [declared, none]] of Object.entries(depths)) {
    const extra = name === 'counters' ? { nodes: 3 } : {};
    it(`${name}, its declared faults, depth ${declared || 'unbounded'}`, () => compare(MODEL_PROTOCOLS[name](), { ...extra, maxDepth: declared }));
    it(`${name}, no faults, depth ${none || 'unbounded'}`, () => compare(MODEL_PROTOCOLS[name](), { ...extra, maxDepth: none, faults: [], faultBudget: 0 }));
  }
});

describe('the request-ack example and its no-dedup variant', () => {
  for (const dedup of [true, false]) {
    const model = requestAck(dedup) as unknown as Any;
    it(`${model.name}, no faults, exhausted`, () => compare(model, {}));
    it(`${model.name}, unlimited loss, exhausted`, () => compare(model, { faults: ['loss'] }));
    it(`${model.name}, two losses, exhausted`, () => compare(model, { faults: ['loss'], maxLosses: 2 }));
    it(`${model.name}, a crash and a restart, exhausted`, () => compare(model, { faults: ['crash', 'restart'], faultBudget: 2 }));
  }
});

describe("the majority model's XState mutants (test/checker/mutations.test.ts): the same verdicts with and without POR", () => {
  for (const c of cases.filter((x) => x.timing !== 'bounded')) {
    it(`${c.name} (${c.property})`, () => compare(c.make() as unknown as Any, { ...bounds, maxDepth: 5 }));
  }
});
