/**
 * Counterexample traces: the configuration, then each step (actor, action, input, outputs, Views
 * after). Written as ITF JSON (the Informal Trace Format of Apalache and Quint: `#meta`, `vars`,
 * `states`; records as JSON objects, integers as JSON numbers since all fit in 53 bits), as plain
 * text, and as a Mermaid sequence diagram.
 */
import { DecodeError } from '../spec/errors.js';
import { parseJson } from '../spec/json.js';
import type { NodeId } from '../spec/node.js';
import type { Temporal, Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Input, Output } from '../spec/step.js';
import type { View } from '../spec/view.js';
import { type CheckOptions, faultModelText } from './options.js';

export interface TraceStep {
  readonly actor: string;
  readonly action: string;
  readonly input: Input<unknown> | null;
  readonly outputs: readonly Output<unknown>[];
  readonly views: Readonly<Record<NodeId, View>>;
  readonly up: Readonly<Record<NodeId, boolean>>;
  readonly inFlight: number;
  /** The model's own words for this step, when its definition supplies describe / describeMessage. */
  readonly described?: StepDescription;
}

/** A step as the model describes it (ProtocolDefinition.describe and describeMessage), written when the trace is made. */
export interface StepDescription {
  /** Every node's local state after the step, by `describe`. */
  readonly states?: Readonly<Record<NodeId, string>>;
  /** The message received, by `describeMessage` (a step that receives one). */
  readonly input?: string;
  /** Per output, in order, its message by `describeMessage` (null for an output that sends none). */
  readonly outputs?: readonly (string | null)[];
}

export interface Trace {
  readonly protocol: string;
  readonly property: string;
  readonly temporal: Temporal;
  readonly options: CheckOptions;
  readonly violation: Violation;
  /** Step 0 is the initial state (action 'init'). */
  readonly steps: readonly TraceStep[];
  /** For `eventually`: index of the state the fair run starts from; every later step is fair, and the property never holds. */
  readonly suffixFrom?: number;
  /** The model file the trace came from (`alice check --model`), as the user named it; absent for a built-in protocol. */
  readonly model?: string;
}

export const ITF_VARS = ['action', 'actor', 'input', 'outputs', 'views', 'up', 'inFlight'] as const;
/** Written only by models that describe themselves. */
export const ITF_DESCRIBED = 'described';

export function toItf(trace: Trace): unknown {
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'alice check',
      description: `${trace.property} (${trace.temporal}) violated in ${trace.protocol} with ${trace.options.nodes} nodes under ${trace.options.timing} timing: ${trace.violation.detail}`,
      protocol: trace.protocol,
      property: trace.property,
      temporal: trace.temporal,
      timing: trace.options.timing,
      nodes: trace.options.nodes,
      seed: trace.options.seed,
      options: trace.options,
      violation: trace.violation,
      ...(trace.suffixFrom !== undefined ? { suffixFrom: trace.suffixFrom } : {}),
      ...(trace.model !== undefined ? { model: trace.model } : {}),
    },
    vars: trace.steps.some((s) => s.described) ? [...ITF_VARS, ITF_DESCRIBED] : [...ITF_VARS],
    states: trace.steps.map((s, index) => ({
      '#meta': { index },
      action: s.action,
      actor: s.actor,
      input: s.input,
      outputs: s.outputs,
      views: s.views,
      up: s.up,
      inFlight: s.inFlight,
      ...(s.described ? { [ITF_DESCRIBED]: s.described } : {}),
    })),
  };
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(path, 'expected an object');
  return v as Record<string, unknown>;
}

function need<T>(o: Record<string, unknown>, key: string, path: string, check: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!check(v)) throw new DecodeError(`${path}.${key}`, v === undefined ? 'missing field' : `expected ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** Reads an ITF trace written by `toItf`; a malformed file is a DecodeError naming the field. */
export function fromItf(text: string): Trace {
  const root = obj(parseJson(text, 'trace'), 'trace');
  const meta = need(root, '#meta', 'trace', isObject, 'an object');
  if (meta.format !== 'ITF') throw new DecodeError('trace.#meta.format', `expected "ITF", got ${JSON.stringify(meta.format)}`);
  const options = need(meta, 'options', 'trace.#meta', isObject, 'an object') as unknown as CheckOptions;
  const temporal = need(meta, 'temporal', 'trace.#meta', isString, 'a string');
  if (!['always', 'sometimes', 'eventually'].includes(temporal)) throw new DecodeError('trace.#meta.temporal', `unknown kind ${temporal}`);
  const states = need(root, 'states', 'trace', isArray, 'an array');
  if (states.length === 0) throw new DecodeError('trace.states', 'a trace has at least its initial state');
  const steps = states.map((raw, i): TraceStep => {
    const p = `trace.states[${i}]`;
    const s = obj(raw, p);
    return {
      action: need(s, 'action', p, isString, 'a string'),
      actor: need(s, 'actor', p, isString, 'a string'),
      input: s.input === null || isObject(s.input) ? (s.input as unknown as Input<unknown> | null) : (() => { throw new DecodeError(`${p}.input`, 'expected an object or null'); })(),
      outputs: need(s, 'outputs', p, isArray, 'an array') as unknown as Output<unknown>[],
      views: need(s, 'views', p, isObject, 'an object') as unknown as Record<NodeId, View>,
      up: need(s, 'up', p, isObject, 'an object') as unknown as Record<NodeId, boolean>,
      inFlight: need(s, 'inFlight', p, isNumber, 'a number'),
      ...(s[ITF_DESCRIBED] === undefined ? {} : { described: stepDescription(s[ITF_DESCRIBED], `${p}.${ITF_DESCRIBED}`) }),
    };
  });
  const suffixFrom = meta.suffixFrom;
  if (suffixFrom !== undefined && (!isNumber(suffixFrom) || suffixFrom < 0 || suffixFrom >= steps.length)) {
    throw new DecodeError('trace.#meta.suffixFrom', `expected a state index in 0..${steps.length - 1}`);
  }
  if (meta.model !== undefined && !isString(meta.model)) throw new DecodeError('trace.#meta.model', 'expected a string (the model file)');
  return {
    protocol: need(meta, 'protocol', 'trace.#meta', isString, 'a string'),
    property: need(meta, 'property', 'trace.#meta', isString, 'a string'),
    temporal: temporal as Temporal,
    options,
    violation: need(meta, 'violation', 'trace.#meta', isObject, 'an object') as unknown as Violation,
    steps,
    suffixFrom: suffixFrom as number | undefined,
    ...(meta.model !== undefined ? { model: meta.model as string } : {}),
  };
}

/** A describe hook that throws is shown as such: the trace it is part of must still be written. */
function words<T>(f: (x: T) => string, x: T): string {
  try {
    return f(x);
  } catch (e) {
    return `(describe threw: ${e instanceof Error ? e.message : String(e)})`;
  }
}

/**
 * The model's own words for a step, or undefined when its definition has no describe hooks. A hook
 * that throws is shown as such in the text: the trace it is part of must still be written.
 */
export function describeStep<S, M>(
  protocol: Pick<ProtocolDefinition<S, M, unknown>, 'describe' | 'describeMessage'>,
  states: Readonly<Record<NodeId, unknown>> | undefined,
  input: Input<unknown> | null,
  outputs: readonly Output<unknown>[],
): StepDescription | undefined {
  const { describe, describeMessage } = protocol;
  if (describe === undefined && describeMessage === undefined) return undefined;
  const out: { states?: Record<NodeId, string>; input?: string; outputs?: (string | null)[] } = {};
  if (describe !== undefined && states !== undefined) {
    const d = describe.bind(protocol);
    out.states = Object.fromEntries(Object.entries(states).map(([id, st]) => [id, words(d, st as S)]));
  }
  if (describeMessage !== undefined) {
    const dm = describeMessage.bind(protocol);
    if (input?.type === 'receive') out.input = words(dm, input.message as M);
    if (outputs.some((o) => o.type === 'send')) out.outputs = outputs.map((o) => (o.type === 'send' ? words(dm, o.message as M) : null));
  }
  return out;
}

/**
 * Whether a trace's Views say anything: some node knows a member besides itself. A model that is not
 * about membership has only its own record in each View, which it fills in only because the checker
 * asks for one.
 */
export const aboutMembership = (steps: readonly TraceStep[]): boolean => steps.some((s) => Object.values(s.views).some((v) => Object.keys(v.members).length > 1));

/**
 * A node's state in a trace's words: the model's `describe`, else its own encoding. The fallback is
 * what a trace shows for a model that neither describes itself nor is about membership, whose Views
 * would only print placeholders.
 */
export function stateWords<S>(protocol: Pick<ProtocolDefinition<S, unknown, unknown>, 'describe' | 'behaviour'>): (state: S) => string {
  const f: (state: S) => string = protocol.describe !== undefined ? protocol.describe.bind(protocol) : (state) => protocol.behaviour.encode(state);
  return (state) => words(f, state);
}

function stepDescription(v: unknown, path: string): StepDescription {
  const d = obj(v, path);
  if (d.states !== undefined && !(isObject(d.states) && Object.values(d.states).every(isString))) throw new DecodeError(`${path}.states`, 'expected an object of strings');
  if (d.input !== undefined && !isString(d.input)) throw new DecodeError(`${path}.input`, 'expected a string');
  if (d.outputs !== undefined && !(isArray(d.outputs) && d.outputs.every((o) => o === null || isString(o)))) throw new DecodeError(`${path}.outputs`, 'expected an array of strings or nulls');
  return d as StepDescription;
}

function describeMessage(m: unknown): string {
  if (typeof m !== 'object' || m === null) return String(m);
  const r = m as Record<string, unknown>;
  const kind = String(r.kind ?? r.type ?? 'message');
  const bits: string[] = [];
  if (typeof r.version === 'number') bits.push(`v${r.version}`);
  const info = r.info as { address?: string } | undefined;
  if (info?.address) bits.push(info.address);
  if (Array.isArray(r.peers)) bits.push(`${r.peers.length} peers`);
  return bits.length > 0 ? `${kind}(${bits.join(' ')})` : kind;
}

function summarizeViews(views: Readonly<Record<NodeId, View>>, up: Readonly<Record<NodeId, boolean>>): string[] {
  return Object.keys(views)
    .sort()
    .map((id) => {
      const members = Object.entries(views[id].members)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        // A defective model may hold a record with no NodeInfo: the trace that shows it must still print.
        .map(([m, v]) => `${m}:${v.status === 'alive' ? '' : v.status + ' '}${v.info ? `${v.info.address}@${Math.floor(v.info.lastUpdated / 1000)}s` : '(no NodeInfo)'} v${v.version}`);
      return `    ${id}${up[id] ? '' : ' (down)'} sees ${members.join(', ')}`;
    });
}

/**
 * A model's own state descriptions: every node at the initial state, then after each step the nodes
 * whose description changed (a step moves one node or two; reprinting all would bury the change).
 */
function summarizeStates(step: TraceStep, before: TraceStep | undefined): string[] {
  const states = step.described!.states!;
  const was = before?.described?.states;
  return Object.keys(states)
    .sort()
    .filter((id) => was === undefined || before === undefined || was[id] !== states[id] || before.up[id] !== step.up[id])
    .map((id) => `       ${id}${step.up[id] === false ? ' (down)' : ''}: ${states[id]}`);
}

/**
 * The trace as text. `outcome` says what it shows: a violation (the default), or, for an
 * inconclusive eventually-check, a fair run that ran out of its bound before the property held.
 */
export function traceToText(trace: Trace, outcome: 'violated' | 'inconclusive' = 'violated'): string {
  const transitions = trace.steps.length - 1;
  const lines = [
    `${trace.property} (${trace.temporal}) ${outcome === 'violated' ? 'violated' : 'inconclusive'} — ${trace.protocol}, ${trace.options.nodes} nodes, ${trace.options.timing} timing, ${faultModelText(trace.options)}, seed ${trace.options.seed}`,
    `  ${trace.violation.detail}`,
    `  ${transitions} transition${transitions === 1 ? '' : 's'} (step 0 is the initial state, not a transition)`,
    '',
  ];
  const never = outcome === 'violated' ? 'never holds' : `does not hold within ${trace.options.eventuallyBound} fair steps`;
  trace.steps.forEach((s, i) => {
    if (trace.suffixFrom !== undefined && i === trace.suffixFrom + 1) lines.push(`  -- from here on, only fair steps (deliveries, timers), and ${trace.property} ${never} --`);
    lines.push(`  ${String(i).padStart(3)}. [${s.actor}] ${s.action}${s.described?.input ? `: ${s.described.input}` : ''}`);
    s.outputs.forEach((o, k) => {
      if (o.type === 'send') lines.push(`       → ${o.to}: ${s.described?.outputs?.[k] ?? describeMessage(o.message)}`);
      else if (o.type === 'notify') lines.push(`       ! ${o.event.kind}${'member' in o.event ? ` ${o.event.member}` : ''}${'reason' in o.event ? `: ${o.event.reason}` : ''}`);
    });
    if (s.described?.states) lines.push(...summarizeStates(s, i === 0 ? undefined : trace.steps[i - 1]));
    else if (i === trace.steps.length - 1 || i === 0) lines.push(...summarizeViews(s.views, s.up));
  });
  return lines.join('\n') + '\n';
}

/** A model's own words in a Mermaid message: `;` ends a statement there and `#` starts an entity code. */
const mermaidText = (text: string): string => text.replace(/;/g, ',').replace(/#/g, '#35;');

export function traceToMermaid(trace: Trace): string {
  const ids = Object.keys(trace.steps[0]?.views ?? {}).sort();
  const lines = ['sequenceDiagram', `  title ${trace.property} violated (${trace.protocol}, ${trace.options.timing})`];
  for (const id of ids) lines.push(`  participant ${id}`);
  trace.steps.forEach((s, i) => {
    if (i === 0) return;
    if (trace.suffixFrom !== undefined && i === trace.suffixFrom + 1) lines.push(`  Note over ${ids[0]},${ids[ids.length - 1]}: fair suffix: ${trace.property} never holds`);
    const input = s.input as { type?: string; from?: string; message?: unknown } | null;
    if (input?.type === 'receive' && input.from) lines.push(`  ${input.from}->>${s.actor}: ${s.described?.input !== undefined ? mermaidText(s.described.input) : describeMessage(input.message)}`);
    else lines.push(`  Note over ${ids.includes(s.actor) ? s.actor : ids[0]}: ${s.action.replace(/[;#]/g, ' ')}`);
  });
  lines.push(`  Note over ${ids[0]},${ids[ids.length - 1]}: ${trace.violation.detail.replace(/[;#]/g, ' ')}`);
  return lines.join('\n') + '\n';
}
