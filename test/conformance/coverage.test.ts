/**
 * Transition coverage is read from the machines themselves and counted from the model steps taken:
 * every transition is listed (source state, event, guard, target), and a step counts only the
 * transitions XState actually selected, eventless ones included.
 */
import { describe, expect, it } from 'vitest';
import { TransitionCoverage, coverageTable, machineTransitions } from '../../conformance/coverage.js';
import { toyMachine, toyModel, toyProtocol } from '../../conformance/toy/index.js';
import { majorityMachine, majorityModel, majorityProtocol } from '../../model/majority/index.js';
import type { Input } from '../../spec/step.js';
import type { ToyMessage } from '../../conformance/toy/index.js';

const hits = (cov: TransitionCoverage) => Object.fromEntries(cov.rows().map((r) => [`${r.source} ${r.event} ${r.guard}`, r.hits]));

describe('transition coverage', () => {
  it('lists every transition of a machine with its source, event, guard and target', () => {
    expect(machineTransitions(toyMachine).map((t) => [t.source, t.event, t.guard, t.target])).toEqual([
      ['up', 'receive', 'isPing', '(stays)'],
      ['up', 'receive', 'isPong', '(stays)'],
      ['up', 'timer', 'isTickWithPeers', '(stays)'],
      ['up', 'crash', '—', 'down'],
      ['down', 'restart', '—', 'up'],
    ]);
  });

  it('lists eventless transitions under the event `always`', () => {
    const always = machineTransitions(majorityMachine).filter((t) => t.event === 'always');
    expect(always.map((t) => [t.source, t.guard, t.target])).toEqual([
      ['running.starting', 'hasSeeds', 'running.registering'],
      ['running.starting', '—', 'running.serving'],
    ]);
  });

  it('counts only the transition a step selected', () => {
    const cov = new TransitionCoverage();
    const setup = toyProtocol.cluster(2)[0];
    const s0 = toyModel.init(setup).state;
    cov.init(setup, s0);
    const input: Input<ToyMessage> = { type: 'receive', from: 'n2', message: { kind: 'pong', seq: 0 }, now: 1 };
    cov.step(s0, input);
    const h = hits(cov);
    expect(h['up receive isPong']).toBe(1);
    expect(h['up receive isPing']).toBe(0);
    expect(cov.distinct()).toBe(1);
  });

  it('counts nothing for an input no transition takes', () => {
    const cov = new TransitionCoverage();
    const setup = toyProtocol.cluster(2)[0];
    const s0 = toyModel.init(setup).state;
    cov.step(s0, { type: 'restart', now: 1 });
    expect(cov.distinct()).toBe(0);
  });

  it('counts the eventless transition taken at init and after a restart', () => {
    const cov = new TransitionCoverage();
    const [withSeeds] = majorityProtocol.cluster(2);
    const alone = majorityProtocol.cluster(1)[0];
    cov.init(withSeeds, majorityModel.init(withSeeds).state);
    cov.init(alone, majorityModel.init(alone).state);
    let s = majorityModel.init(withSeeds).state;
    s = majorityModel.step(s, { type: 'crash', now: 1 }).state;
    cov.step(s, { type: 'restart', now: 2 });
    const h = hits(cov);
    expect(h['running.starting always hasSeeds']).toBe(2);
    expect(h['running.starting always —']).toBe(1);
    expect(h['crashed restart —']).toBe(1);
  });

  it('prints a table per machine with the share exercised and the missed transitions in bold', () => {
    const cov = new TransitionCoverage();
    const setup = toyProtocol.cluster(2)[0];
    const s0 = toyModel.init(setup).state;
    cov.step(s0, { type: 'receive', from: 'n2', message: { kind: 'ping', seq: 0 }, now: 1 });
    const table = coverageTable(cov);
    expect(table).toContain('machine toyNode: 1/5 transitions exercised (20.0%)');
    expect(table).toContain('| up | receive | isPing | (stays) | 1 |');
    expect(table).toContain('| down | restart | — | up | **0** |');
  });
});
