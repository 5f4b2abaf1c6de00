/**
 * The `alice` command end to end, as a user runs it: a child process through bin/alice.js.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.js';

const BIN = new URL('../../bin/alice.js', import.meta.url).pathname;
const FIXTURE = new URL('../fixtures/traces/majority-orderIndependence.json', import.meta.url).pathname;

function alice(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('alice demo', () => {
  it('shows a majority cluster registering, resolving, updating and health-checking', () => {
    const r = alice('demo');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/n1 resolved 4 responses/);
    expect(r.out).toMatch(/10\.0\.0\.33:8080 v1/);
    expect(r.out).toMatch(/n1 removed n4: not ready/);
    expect(r.out).toMatch(/NOT_OWNER/);
  });
});

describe('alice check', () => {
  it('exits 0 and reports every property when all hold', () => {
    const r = alice('check', 'counters', '--nodes', '2', '--faults', 'none', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/inRange\s+holds \(state space exhausted\)/);
    expect(r.out).toMatch(/allAtTop\s+reached/);
  });

  it('reports a violation outside its assumptions as expected (exit 3: stopped at the first violation) and writes the trace as ITF JSON, text and Mermaid', () => {
    const dir = tempDir('alice-check-');
    const out = join(dir, 'trace.json');
    const r = alice('check', 'majority', '--faults', 'update', '--fault-budget', '1', '--max-depth', '6', '--property', 'noRegression', '--stop-at-first', '--quiet', '--out', out);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/noRegression\s+violated in 4 transitions — expected: not guaranteed by this protocol/);
    expect(JSON.parse(readFileSync(out, 'utf8'))['#meta'].format).toBe('ITF');
    expect(existsSync(join(dir, 'trace.txt'))).toBe(true);
    expect(readFileSync(join(dir, 'trace.mmd'), 'utf8')).toMatch(/^sequenceDiagram/);
  });

  it('prints the summary as JSON with --json', () => {
    const r = alice('check', 'counters', '--nodes', '2', '--faults', 'none', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.stats.distinct).toBe(100);
    expect(json.verdicts.map((v: { status: string }) => v.status)).toEqual(['holds', 'reached']);
  });

  it('checks under FIFO channels with --ordered, and says so in the summary', () => {
    const r = alice('check', 'majority', '--ordered', '--property', 'noRegression', '--fault-budget', '1', '--max-depth', '6', '--json');
    expect(r.code).toBe(3);
    const json = JSON.parse(r.out);
    expect(json.options.ordered).toBe(true);
    expect(json.verdicts[0].status).toBe('violated');
    expect(json.verdicts[0].expected).toBe(true);
    expect(json.complete).toBe(false);
    expect(json.boundsHit.map((b: { bound: string }) => b.bound)).toContain('violation');
  });

  it('exits 2 naming a bad flag value', () => {
    const r = alice('check', 'majority', '--nodes', 'three');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--nodes takes a whole number, got 'three'/);
  });

  it('exits 2 naming an unknown fault', () => {
    const r = alice('check', 'majority', '--faults', 'crash,meteor');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown fault 'meteor'/);
  });

  it('exits 2 naming an unknown protocol', () => {
    const r = alice('check', 'paxos');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown protocol 'paxos'; known: majority, swim, swim-pushpull, swim-lifeguard, swim-reap, inferno-current, inferno-library-health, hybrid, hybrid-shared, hybrid-library-health, counters/);
  });

  it('exits 2 naming an unknown property', () => {
    const r = alice('check', 'majority', '--property', 'liveness');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown property 'liveness'/);
  });
});

describe('alice replay', () => {
  it('exits 0 when the counterexample is reproduced step by step', () => {
    const r = alice('replay', FIXTURE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/reproduced: orderIndependence violated/);
  });

  it('exits 2 on a malformed file, naming the problem', () => {
    const dir = tempDir('alice-replay-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"states": [');
    const r = alice('replay', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/malformed JSON/);
  });

  it('exits 2 on a trace the model does not allow, naming the step', () => {
    const dir = tempDir('alice-replay-');
    const itf = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    itf.states[3].views.n1.members.n1.info.address = 'elsewhere:1';
    const bad = join(dir, 'tampered.json');
    writeFileSync(bad, JSON.stringify(itf));
    const r = alice('replay', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/step 3/);
  });

  it('exits 2 with --impl too on a trace the model does not allow, naming the step', () => {
    const dir = tempDir('alice-replay-');
    const itf = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    itf.states[3].views.n1.members.n1.info.address = 'elsewhere:1';
    const bad = join(dir, 'tampered.json');
    writeFileSync(bad, JSON.stringify(itf));
    const r = alice('replay', bad, '--impl');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/step 3/);
  });

  it('exits 2 on a trace whose recorded outputs were emptied, in both modes', () => {
    const dir = tempDir('alice-replay-');
    const itf = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    for (const s of itf.states) s.outputs = [];
    const bad = join(dir, 'emptied.json');
    writeFileSync(bad, JSON.stringify(itf));
    for (const mode of [[], ['--impl']]) {
      const r = alice('replay', bad, ...mode);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/the outputs differ/);
    }
  });

  it('exits 2 when the file does not exist', () => {
    expect(alice('replay', '/nonexistent/trace.json').code).toBe(2);
  });
});
