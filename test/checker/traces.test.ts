import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError, TraceMismatchError, check, fromItf, majorityProtocol, replayTrace, toItf, traceToMermaid, traceToText } from 'alice';

const FIXTURES = new URL('../fixtures/traces/', import.meta.url);
// The majority system's fixtures; SWIM's are replayed on model and implementation in test/conformance/counterexamples.test.ts.
const fixtures = readdirSync(FIXTURES).filter((f) => f.startsWith('majority-') && f.endsWith('.json'));
const load = (f: string) => readFileSync(new URL(f, FIXTURES), 'utf8');

describe('counterexample fixtures of the majority system', () => {
  it('keeps the three behaviours the design is known for, and the stale overwrite on FIFO channels', () => {
    expect(fixtures.sort()).toEqual([
      'majority-completeness.json',
      'majority-noRegression-ordered.json',
      'majority-noRegression.json',
      'majority-orderIndependence.json',
    ]);
  });

  it('records ordered channels in the trace, and replays under them', () => {
    const trace = fromItf(load('majority-noRegression-ordered.json'));
    expect(trace.options.ordered).toBe(true);
    expect(replayTrace(majorityProtocol, trace).reproduced).toBe(true);
  });

  for (const f of fixtures) {
    it(`replays ${f} on the model and reproduces its violation`, () => {
      const report = replayTrace(majorityProtocol, fromItf(load(f)));
      expect(report.reproduced).toBe(true);
    });
  }

  it('finds the shortest stale-overwrite with breadth-first search: 4 steps', () => {
    const r = check(majorityProtocol, { faults: ['update'], faultBudget: 1, maxDepth: 6, properties: ['noRegression'], stopAtFirst: true });
    expect(r.verdicts[0].trace?.steps.length).toBe(5);
  });
});

describe('ITF trace files', () => {
  const trace = fromItf(load('majority-noRegression.json'));

  it('round-trip through toItf and fromItf', () => {
    expect(fromItf(JSON.stringify(toItf(trace)))).toEqual(trace);
  });

  it('carry the ITF header: #meta, vars and states', () => {
    const itf = toItf(trace) as { '#meta': { format: string }; vars: string[]; states: unknown[] };
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toContain('views');
    expect(itf.states).toHaveLength(trace.steps.length);
  });

  it('render as text and as a Mermaid sequence diagram', () => {
    expect(traceToText(trace)).toMatch(/noRegression \(always\) violated/);
    expect(traceToMermaid(trace)).toMatch(/^sequenceDiagram/);
  });

  it('reject malformed JSON with a DecodeError', () => {
    expect(() => fromItf('{"#meta": ')).toThrow(DecodeError);
  });

  it('reject a file that is not ITF, naming the field', () => {
    expect(() => fromItf('{"#meta": {"format": "TLA"}}')).toThrow(/trace\.#meta\.format/);
  });

  it('reject a state without its views, naming the state', () => {
    const itf = toItf(trace) as { states: Record<string, unknown>[] };
    delete itf.states[2].views;
    expect(() => fromItf(JSON.stringify(itf))).toThrow(/trace\.states\[2\]\.views: missing field/);
  });
});

describe('replay refuses a trace the model does not allow', () => {
  const trace = fromItf(load('majority-noRegression.json'));

  it('names the step whose View differs', () => {
    const tampered = structuredClone(trace) as typeof trace;
    (tampered.steps[2].views.n2.members.n2.info as { address: string }).address = 'tampered:1';
    expect(() => replayTrace(majorityProtocol, tampered)).toThrow(TraceMismatchError);
    expect(() => replayTrace(majorityProtocol, tampered)).toThrow(/step 2: n2's View differs/);
  });

  it('names the step whose recorded outputs differ from the model\'s (a trace with its outputs emptied does not replay)', () => {
    const at = trace.steps.findIndex((s) => s.outputs.length > 0);
    const emptied = { ...trace, steps: trace.steps.map((s) => ({ ...s, outputs: [] })) };
    expect(() => replayTrace(majorityProtocol, emptied)).toThrow(TraceMismatchError);
    expect(() => replayTrace(majorityProtocol, emptied)).toThrow(new RegExp(`step ${at}: the outputs differ`));
  });

  it('names the step whose action is not enabled', () => {
    const foreign = { ...trace, steps: trace.steps.map((s, i) => (i === 1 ? { ...s, action: 'timer gossip fires' } : s)) };
    expect(() => replayTrace(majorityProtocol, foreign)).toThrow(/step 1: no enabled action '\[n2\] timer gossip fires'/);
  });

  it('says when a trace replays but its violation is gone', () => {
    const short = { ...trace, steps: trace.steps.slice(0, 2) };
    expect(replayTrace(majorityProtocol, short).reproduced).toBe(false);
  });
});

describe('random walks', () => {
  it('are reproducible: the same seed gives the same result', () => {
    const run = () => check(majorityProtocol, { strategy: 'random', walks: 30, maxDepth: 12, seed: 7, properties: ['noRegression'] });
    const [a, b] = [run(), run()];
    expect(a.stats.distinct).toBe(b.stats.distinct);
    expect(a.verdicts[0].trace?.steps.map((s) => s.action)).toEqual(b.verdicts[0].trace?.steps.map((s) => s.action));
  });

  it('shrink what they find: the reported trace is no longer than the walk, and still violates', () => {
    const r = check(majorityProtocol, { strategy: 'random', walks: 200, maxDepth: 25, seed: 3, properties: ['noRegression'], stopAtFirst: true });
    const trace = r.verdicts[0].trace;
    expect(trace).toBeDefined();
    expect(trace!.steps.length - 1).toBeLessThanOrEqual(8);
    expect(replayTrace(majorityProtocol, trace!).reproduced).toBe(true);
  });
});
