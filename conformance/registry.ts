/**
 * The protocols the harness knows by name: each pairs a model (the reference) with an implementation
 * (what is judged). The stdio server wraps any of them by name, so a node process can be either side.
 */
import type { ProtocolDefinition } from '../spec/protocol.js';
import { majorityProtocol } from '../model/majority/index.js';
import { majorityImplProtocol } from '../impl/majority/index.js';
import { swimProtocol } from '../model/swim/index.js';
import { swimImplProtocol } from '../impl/swim/index.js';
import { ConformanceError } from './errors.js';
import { type ToyBug, toyImplProtocol, toyProtocol } from './toy/index.js';

type AnyDefinition = ProtocolDefinition<unknown, unknown, unknown>;

export interface ConformancePair {
  readonly name: string;
  readonly model: AnyDefinition;
  readonly impl: AnyDefinition;
}

const asAny = <S, M, C>(d: ProtocolDefinition<S, M, C>): AnyDefinition => d as unknown as AnyDefinition;

/** The production protocols: what `alice conformance` checks by default. */
export const PRODUCTION_PAIRS: readonly ConformancePair[] = [
  { name: 'majority', model: asAny(majorityProtocol), impl: asAny(majorityImplProtocol) },
  { name: 'swim', model: asAny(swimProtocol), impl: asAny(swimImplProtocol) },
];

const TOY_BUGS: readonly ToyBug[] = ['double-count', 'ping-self', 'wrong-seq'];

/** Every pair, the toy ones included (the harness's own tests use those). */
export function pair(name: string): ConformancePair {
  const found = PRODUCTION_PAIRS.find((p) => p.name === name);
  if (found) return found;
  if (name === 'toy') return { name, model: asAny(toyProtocol), impl: asAny(toyImplProtocol()) };
  const bug = TOY_BUGS.find((b) => name === `toy-${b}`);
  if (bug) return { name, model: asAny(toyProtocol), impl: asAny(toyImplProtocol(bug)) };
  throw new ConformanceError(`unknown protocol '${name}': use one of ${[...PRODUCTION_PAIRS.map((p) => p.name), 'toy', ...TOY_BUGS.map((b) => `toy-${b}`)].join(', ')}`);
}

/**
 * A definition by the name the stdio server is started with: `<protocol>` is the implementation,
 * `<protocol>-model` the model (so even a model can be run as a node process).
 */
export function definition(name: string): AnyDefinition {
  if (name.endsWith('-model')) return pair(name.slice(0, -'-model'.length)).model;
  return pair(name).impl;
}
