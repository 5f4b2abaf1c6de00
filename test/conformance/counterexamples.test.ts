/**
 * Counterexamples the checker finds on the model replay against the implementation and show the
 * same violation there, or are explained; every kept fixture under test/fixtures/traces is held to
 * the same rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { type Trace, fromItf, toItf } from '../../checker/trace.js';
import { implExplanation, implForReplay, replayOnImpl } from '../../conformance/counterexample.js';
import { PRODUCTION_PAIRS, pair } from '../../conformance/registry.js';
import { type MajorityState, majorityImplProtocol } from '../../impl/majority/index.js';
import { majorityProtocol } from '../../model/majority/index.js';
import { swimProtocol } from '../../model/swim/index.js';
import type { MajorityMessage } from '../../spec/majority.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';

const FIXTURES = 'test/fixtures/traces';

function found(property: string): Trace {
  const r = check(majorityProtocol, { nodes: 3, timeLimitSec: 30, properties: [property], stopAtFirst: true });
  const trace = r.verdicts.find((v) => v.property === property)?.trace;
  if (!trace) throw new Error(`the checker found no ${property} counterexample on the majority model`);
  // Through the file format and back, as `alice replay` reads it.
  return fromItf(JSON.stringify(toItf(trace)));
}

/** An implementation whose load balancer never removes a silent backend (health timeouts ignored). */
const forgiving: ProtocolDefinition<MajorityState, MajorityMessage, unknown> = {
  ...(majorityImplProtocol as ProtocolDefinition<MajorityState, MajorityMessage, unknown>),
  behaviour: {
    ...majorityImplProtocol.behaviour,
    step: (s, input) => (input.type === 'timer' && input.timer === 'healthTimeout' ? { state: s, outputs: [] } : majorityImplProtocol.behaviour.step(s, input)),
  } as ProtocolDefinition<MajorityState, MajorityMessage, unknown>['behaviour'],
};

describe('checker counterexamples against the majority implementation', () => {
  it.each(['noRegression', 'accuracy', 'orderIndependence'])('the %s counterexample shows the same violation on the implementation', (property) => {
    const r = replayOnImpl(majorityImplProtocol, found(property));
    expect(r.verdict, r.detail).toBe('same-violation');
    expect(r.detail).toContain(`${property} violated at the last step`);
  });

  it('reports an implementation that departs from the trace, naming the step and asking for an explanation', () => {
    const r = replayOnImpl(forgiving, found('accuracy'));
    expect(r.verdict).toBe('differs');
    expect(r.detail).toMatch(/departs from the trace: trace does not match the model at step 3/);
    expect(r.detail).toContain('#meta.implDiffers');
  });

  it('accepts a difference the fixture explains in #meta.implDiffers', () => {
    const trace = found('accuracy');
    const text = JSON.stringify({ ...(toItf(trace) as object), '#meta': { ...(toItf(trace) as { '#meta': object })['#meta'], implDiffers: 'this build keeps silent backends on purpose' } });
    const r = replayOnImpl(forgiving, fromItf(text), implExplanation(text));
    expect(r.verdict).toBe('differs-explained');
    expect(r.explanation).toBe('this build keeps silent backends on purpose');
  });

  const fixtures = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')) : [];
  // Fixtures of protocols with an implementation (the checker also keeps traces of its test models).
  const withImpl = fixtures.filter((f) => PRODUCTION_PAIRS.some((p) => p.name === fromItf(readFileSync(join(FIXTURES, f), 'utf8')).protocol));
  it.runIf(withImpl.length > 0).each(withImpl)('fixture %s: same violation on the implementation, or explained', (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const trace = fromItf(text);
    const r = replayOnImpl(implForReplay(pair(trace.protocol)), trace, implExplanation(text));
    expect(r.verdict, r.detail).not.toBe('differs');
  });
});

describe('checker counterexamples against the SWIM implementation', () => {
  const swim = implForReplay(pair('swim'));
  const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
  const fixtureNote = (text: string): unknown => (JSON.parse(text) as { '#meta': { note?: unknown } })['#meta'].note;

  it('the accuracy counterexample the checker finds under async timing shows the same violation on the implementation', () => {
    const r = check(swimProtocol, { nodes: 3, timeLimitSec: 30, properties: ['accuracy'], stopAtFirst: true });
    const trace = r.verdicts.find((v) => v.property === 'accuracy')?.trace;
    if (!trace) throw new Error('the checker found no accuracy counterexample on the SWIM model');
    const replay = replayOnImpl(swim, fromItf(JSON.stringify(toItf(trace))));
    expect(replay.verdict, replay.detail).toBe('same-violation');
    expect(replay.detail).toContain('declared live, reachable');
  });

  // Async timing finds it within 2,185 states (depth 4); bounded timing explores 10,000 without it.
  it('finds no accuracy violation under bounded timing, where the ack can arrive before the period ends', () => {
    const r = check(swimProtocol, { nodes: 3, timing: 'bounded', maxStates: 10_000, timeLimitSec: 30, properties: ['accuracy'] });
    expect(r.verdicts.find((v) => v.property === 'accuracy')?.status).toBe('no-violation-found');
  });

  it('keeps a SWIM fixture for accuracy and for freshness, each saying in #meta.note what it shows and why', () => {
    for (const name of ['swim-accuracy', 'swim-freshness']) {
      const note = fixtureNote(fixture(name));
      expect(typeof note === 'string' && note.length > 100, `${name}.json has no #meta.note`).toBe(true);
    }
  });

  it('the freshness fixture spends every piggyback of the updated record on the crashed member', () => {
    const trace = fromItf(fixture('swim-freshness'));
    const crashed = trace.steps.find((s) => s.action.endsWith('crashes'))?.actor;
    const updated = trace.steps.find((s) => s.action.includes('updates its NodeInfo'))?.actor;
    expect([crashed, updated]).toEqual(['n1', 'n3']);
    const carriers = trace.steps.flatMap((s) =>
      s.outputs.flatMap((o) => (o.type === 'send' && JSON.stringify(o.message).includes('10.1.0.3:8080') ? [`${s.actor}→${o.to} ${(o.message as { kind: string }).kind}`] : [])),
    );
    expect(carriers.length).toBeGreaterThan(0);
    expect(carriers.every((c) => c.startsWith('n3→n1 ')), carriers.join(', ')).toBe(true);
  });
});
