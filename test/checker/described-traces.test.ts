/**
 * Traces of a model that describes itself (ProtocolDefinition.describe / describeMessage) show the
 * model's own states and messages, not membership Views; the descriptions are written into the
 * ITF file, and a replay holds the model to them. examples/request-ack supplies both hooks.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, TraceMismatchError, check, fromItf, replayTrace, toItf, traceToMermaid, traceToText, type ProtocolDefinition, type Trace } from 'alice';
import requestAckNoDedup from '../../examples/request-ack/no-dedup.js';
import { describeMessage, describeState, type Message, type State } from '../../examples/request-ack/model.js';
import { majorityProtocol } from '../../model/majority/index.js';

type Model = ProtocolDefinition<State, Message, null>;

function appliedOnceTrace(protocol: Model): Trace {
  const v = check(protocol).verdicts.find((x) => x.property === 'appliedOnce');
  if (v?.trace === undefined) throw new Error('appliedOnce is not violated');
  return v.trace;
}

/** The text lines printed under step `i` (up to the next step's line). */
function linesOfStep(text: string, i: number): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${String(i).padStart(3)}. `));
  const next = lines.findIndex((l, k) => k > start && /^\s{2}\s*\d+\. \[/.test(l));
  return lines.slice(start, next < 0 ? undefined : next);
}

const trace = appliedOnceTrace(requestAckNoDedup);
const text = traceToText(trace);

describe('the trace of a model that describes itself', () => {
  it("prints every node's state at step 0 in the model's words, and no View", () => {
    expect(linesOfStep(text, 0)).toEqual([
      '    0. [system] init',
      '       n1: client, awaiting ack #1 (1 retry left)',
      '       n2: server, applied 0 (last #0)',
    ]);
    expect(text).not.toMatch(/ sees /);
  });

  it('prints after a step only the nodes whose state it changed', () => {
    const timer = trace.steps.findIndex((s) => s.action === 'timer retry fires');
    const printed = linesOfStep(text, timer).filter((l) => /^\s+n\d: /.test(l));
    expect(printed).toEqual([`       n1: ${trace.steps[timer].described!.states!.n1}`]);
    expect(trace.steps[timer].described!.states!.n2).toBe(trace.steps[timer - 1].described!.states!.n2);
  });

  it('names received and sent messages by describeMessage', () => {
    const delivery = trace.steps.findIndex((s) => s.action.startsWith('deliver'));
    expect(linesOfStep(text, delivery).slice(0, 2)).toEqual([`  ${String(delivery).padStart(3)}. [n2] deliver n1→n2: request #1`, '       → n1: ack #1']);
    expect(traceToMermaid(trace)).toContain('n1->>n2: request #35;1');
  });

  it('keeps the descriptions through an ITF file', () => {
    const back = fromItf(JSON.stringify(toItf(trace)));
    expect(back.steps.map((s) => s.described)).toEqual(trace.steps.map((s) => s.described));
    expect(traceToText(back)).toBe(text);
  });

  it('refuses an ITF file whose descriptions are not text, naming the field', () => {
    const itf = JSON.parse(JSON.stringify(toItf(trace))) as { states: { described: { states: Record<string, unknown> } }[] };
    itf.states[1].described.states.n2 = 42;
    expect(() => fromItf(JSON.stringify(itf))).toThrow(DecodeError);
    expect(() => fromItf(JSON.stringify(itf))).toThrow(/trace\.states\[1\]\.described\.states/);
  });
});

describe('a model without describe hooks', () => {
  const plain: Model = { ...requestAckNoDedup, describe: undefined, describeMessage: undefined };

  it("shows each node's own encoding of its state when its Views are not about membership, not placeholder Views", () => {
    const t = appliedOnceTrace(plain);
    expect(t.steps.every((s) => s.described?.states !== undefined)).toBe(true);
    expect(t.steps[0].described!.states!.n2).toBe(plain.behaviour.encode(plain.behaviour.init(plain.cluster(2)[1]).state));
    const text = traceToText(t);
    expect(text).not.toMatch(/ sees /);
    expect(linesOfStep(text, 0)).toContain(`       n2: ${t.steps[0].described!.states!.n2}`);
  });

  it('holds a replay to the encodings its trace showed', () => {
    const t = appliedOnceTrace(plain);
    expect(replayTrace(plain, t).reproduced).toBe(true);
    const steps = t.steps.map((s, i) => (i === 0 ? { ...s, described: { states: { ...s.described!.states, n2: '{"forged":true}' } } } : s));
    expect(() => replayTrace(plain, { ...t, steps })).toThrow(/at step 0: n2's state differs/);
  });

  it('keeps the membership Views in the trace of a model about membership, as the built-in protocols are', () => {
    const v = check(majorityProtocol, { nodes: 2, faults: ['update'], faultBudget: 1, properties: ['noRegression'] }).verdicts.find((x) => x.property === 'noRegression');
    const t = v?.trace;
    if (t === undefined) throw new Error('noRegression is not violated at 2 nodes');
    expect(t.steps.every((s) => s.described === undefined)).toBe(true);
    expect(traceToText(t)).toMatch(/n1 sees n1:.*, n2:/);
  });

  it('shows a describe hook that throws in the trace instead of failing the check', () => {
    const t = appliedOnceTrace({ ...plain, describe: () => { throw new Error('boom'); } });
    expect(traceToText(t)).toContain('n1: (describe threw: boom)');
  });
});

describe('replaying a described trace', () => {
  it('reproduces it on the model it came from', () => {
    expect(replayTrace(requestAckNoDedup, trace).reproduced).toBe(true);
  });

  it('refuses it when the model now describes a state otherwise, naming the node and step', () => {
    const reworded: Model = { ...requestAckNoDedup, describe: (s) => (s.role === 'server' ? `server with ${s.applied} applied` : describeState(s)) };
    expect(() => replayTrace(reworded, trace)).toThrow(TraceMismatchError);
    expect(() => replayTrace(reworded, trace)).toThrow(/at step 0: n2's state differs: the trace has 'server, applied 0 \(last #0\)', the model gives 'server with 0 applied'/);
  });

  it('compares the messages themselves, so rewording describeMessage does not break a replay', () => {
    expect(replayTrace({ ...requestAckNoDedup, describeMessage: (m) => `${describeMessage(m)}!` }, trace).reproduced).toBe(true);
  });
});
