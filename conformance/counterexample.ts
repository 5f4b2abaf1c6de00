/**
 * Counterexamples against the implementation: a trace the checker found on the model is replayed,
 * with the checker's own replay (checker/replay.ts), on a System whose nodes are the implementation's
 * cores. It must take the same steps, leave the same Views, and show the same violation; or the
 * fixture must say, in `#meta.implDiffers`, why the implementation differs on purpose.
 */
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../spec/canonical.js';
import { AliceError } from '../spec/errors.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type Choice, type Input, behaviourMembers } from '../spec/step.js';
import { TraceMismatchError, replayTrace } from '../checker/replay.js';
import { type Trace, fromItf } from '../checker/trace.js';
import type { ConformancePair } from './registry.js';

export type ImplReplayVerdict =
  /** The implementation takes every step, with the same Views, and the violation shows again. */
  | 'same-violation'
  /** It does not, and the fixture explains why (the implementation differs on purpose). */
  | 'differs-explained'
  /** It does not, and nothing explains it: a finding. */
  | 'differs';

export interface ImplReplay {
  readonly protocol: string;
  readonly property: string;
  readonly verdict: ImplReplayVerdict;
  /** What happened on the implementation, in one line. */
  readonly detail: string;
  /** The fixture's explanation, when it has one. */
  readonly explanation?: string;
  readonly steps: number;
}

/**
 * The implementation with the trace's choices offered as its open ones: the checker's replay matches
 * each recorded input, choice included, so the implementation is handed the choice the model made
 * (implementations follow `input.choice` when it is set) and its outputs and Views must then agree.
 */
function followingTraceChoices<S, M, C>(impl: ProtocolDefinition<S, M, C>, trace: Trace): ProtocolDefinition<S, M, C> {
  const recorded = new Map<string, Choice[]>();
  for (const s of trace.steps) {
    const input = s.input as Input<M> | null;
    if (!input?.choice) continue;
    const { choice, ...rest } = input;
    const k = `${s.actor}|${canonicalJson(rest)}`;
    recorded.set(k, [...(recorded.get(k) ?? []), choice]);
  }
  if (recorded.size === 0) return impl;
  const behaviour = impl.behaviour;
  const selfOf = (state: S): string => behaviour.view(state).self;
  return {
    ...impl,
    behaviour: {
      ...behaviourMembers(behaviour),
      choices: (state, input) => recorded.get(`${selfOf(state)}|${canonicalJson(input)}`),
    },
  };
}

/**
 * The implementation a pair's counterexamples replay on: its core, set up with the MODEL's cluster.
 * A trace records the checker's options, not the nodes' setups, so both sides must build the same
 * cluster; the model's configuration is the envelope the suites hold the implementation to (SWIM's
 * impl preset joins through n1 with gossip and push-pull on, the model's lists every node as a seed).
 */
export function implForReplay(pair: ConformancePair): ProtocolDefinition<unknown, unknown, unknown> {
  return { ...pair.impl, cluster: pair.model.cluster };
}

/** Reads `#meta.implDiffers` from a fixture's raw JSON: why the implementation differs on purpose. */
export function implExplanation(text: string): string | undefined {
  try {
    const meta = (JSON.parse(text) as { '#meta'?: { implDiffers?: unknown } })['#meta'];
    return typeof meta?.implDiffers === 'string' && meta.implDiffers.trim() !== '' ? meta.implDiffers : undefined;
  } catch {
    return undefined;
  }
}

export function replayOnImpl<S, M, C>(impl: ProtocolDefinition<S, M, C>, trace: Trace, explanation?: string): ImplReplay {
  const base = { protocol: trace.protocol, property: trace.property, steps: trace.steps.length };
  let verdict: { reproduced: boolean; detail: string };
  try {
    const r = replayTrace(followingTraceChoices(impl, trace), trace);
    verdict = { reproduced: r.reproduced, detail: r.detail };
  } catch (e) {
    if (!(e instanceof TraceMismatchError)) throw e;
    verdict = { reproduced: false, detail: `the implementation departs from the trace: ${e.message}` };
  }
  if (verdict.reproduced) return { ...base, verdict: 'same-violation', detail: `reproduced on the implementation: ${verdict.detail}` };
  return explanation
    ? { ...base, verdict: 'differs-explained', detail: verdict.detail, explanation }
    : { ...base, verdict: 'differs', detail: `${verdict.detail}; if the implementation differs on purpose, say why in the fixture's #meta.implDiffers` };
}

/** A fixture file, read and replayed on the implementation `implFor(protocol)` gives. */
export function replayFixtureOnImpl(path: string, implFor: (protocol: string) => ProtocolDefinition<unknown, unknown, unknown>): ImplReplay {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AliceError('IO', `cannot read trace ${path}: ${(e as Error).message}`);
  }
  const trace = fromItf(text);
  return replayOnImpl(implFor(trace.protocol), trace, implExplanation(text));
}

export function formatImplReplay(r: ImplReplay, name: string): string {
  const head = { 'same-violation': 'SAME VIOLATION', 'differs-explained': 'DIFFERS (explained)', differs: 'DIFFERS (unexplained)' }[r.verdict];
  const lines = [`${head.padEnd(22)} ${name}: ${r.property} in ${r.protocol}, ${r.steps} states`, `  ${r.detail}`];
  if (r.explanation) lines.push(`  why: ${r.explanation}`);
  return lines.join('\n');
}
