/** The fault suite's pure parts: commands it would run, nft scripts, and the judgement of results. */
import { describe, expect, it } from 'vitest';
import { agentCommand } from '../../faults/agents.js';
import { hubCommands, leftovers, memberCommands, parseNetnsList, slotAddress, topology } from '../../faults/netns.js';
import { nftScript, partitionRules } from '../../faults/nft.js';
import { disagreements, membersNotMerged, parseMetrics } from '../../faults/observe.js';
import { type ScenarioResult, summarize, table, verdicts } from '../../faults/report.js';
import { parseArgs } from '../../faults/run.js';
import { detectionTime, unexcused } from '../../faults/scenarios.js';

const t = topology('4242');

describe('namespace commands', () => {
  it('builds the hub and a member entirely inside namespaces', () => {
    expect(hubCommands(t)[0]).toEqual(['ip', 'netns', 'add', 'alice-f-4242-hub']);
    const m = memberCommands(t, 3);
    expect(m).toContainEqual(['ip', '-n', 'alice-f-4242-hub', 'link', 'add', 'v3', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'alice-f-4242-a3']);
    expect(m).toContainEqual(['ip', '-n', 'alice-f-4242-a3', 'addr', 'add', '10.213.0.13/24', 'dev', 'eth0']);
    // Every command but the namespace's creation names a namespace: nothing runs against the host's links.
    for (const c of [...hubCommands(t), ...m]) expect(c[1] === 'netns' || c[1] === '-n').toBe(true);
  });

  it('keeps agents inside the /24', () => {
    expect(slotAddress(0)).toBe('10.213.0.10');
    expect(() => slotAddress(235)).toThrow('outside 0..234');
  });

  it('removes only what runs that no longer live left behind', () => {
    const names = parseNetnsList('alice-f-10-hub (id: 0)\nalice-f-10-a1\nalice-f-20-a0\nother\nalice-f-junk\n');
    expect(names).toEqual(['alice-f-10-hub', 'alice-f-10-a1', 'alice-f-20-a0', 'other', 'alice-f-junk']);
    expect(leftovers(names, (pid) => pid === 20)).toEqual(['alice-f-10-hub', 'alice-f-10-a1', 'alice-f-junk']);
  });

  it('starts an agent bound to its namespace address, --http and --allow-remote included', () => {
    const argv = agentCommand({ id: 'm01', ns: 'alice-f-1-a1', address: '10.213.0.11', seeds: ['10.213.0.10:7946'], seed: 2, preset: 'lan' }, 'node');
    expect(argv.join(' ')).toBe(
      'ip netns exec alice-f-1-a1 node --import tsx cli/main.ts agent --id m01 --bind 10.213.0.11:7946 --join 10.213.0.10:7946 --address 10.213.0.11:3000 --metrics-port 9090 --http 10.213.0.11:8500 --allow-remote --preset lan --seed 2',
    );
  });
});

describe('nft scripts', () => {
  it('replaces the table atomically and exempts the poller from loss', () => {
    const s = nftScript({ kind: 'loss', percent: 10 });
    expect(s.startsWith('table inet alice_faults\ndelete table inet alice_faults\n')).toBe(true);
    expect(s).toContain('ip saddr != 10.213.0.1 numgen random mod 100 < 10 drop');
    expect(nftScript({ kind: 'none' })).toBe('table inet alice_faults\ndelete table inet alice_faults\n');
    expect(() => nftScript({ kind: 'loss', percent: 0 })).toThrow('1..99');
  });

  it('makes a partition symmetric and refuses to cut off the hub', () => {
    const r = partitionRules(['10.213.0.10'], ['10.213.0.11', '10.213.0.12']);
    expect(nftScript(r.get('10.213.0.10')!)).toContain('ip saddr { 10.213.0.11, 10.213.0.12 } drop');
    expect(nftScript(r.get('10.213.0.12')!)).toContain('ip saddr { 10.213.0.10 } drop');
    expect(() => nftScript({ kind: 'partition', blocked: ['10.213.0.1'] })).toThrow('not the hub');
  });
});

describe('observation', () => {
  const live = new Map([
    ['a', '10.213.0.10:3000'],
    ['b', '10.213.0.11:3000'],
  ]);
  it('finds every live pair not held alive at its current address', () => {
    const views = new Map([
      ['a', [{ id: 'b', status: 'alive', incarnation: 0, address: '10.213.0.99:3000' }]],
      ['b', [{ id: 'a', status: 'dead', incarnation: 1, address: '10.213.0.10:3000' }]],
    ]);
    const ds = disagreements(views, live);
    expect(ds).toEqual([
      { observer: 'a', member: 'b', seen: 'stale-address' },
      { observer: 'b', member: 'a', seen: 'dead' },
    ]);
    expect(membersNotMerged(ds)).toEqual(['a', 'b']);
    expect(disagreements(new Map([['a', undefined], ['b', []]]), live)).toEqual([
      { observer: 'a', member: '*', seen: 'unreachable' },
      { observer: 'b', member: 'a', seen: 'missing' },
    ]);
  });

  it('reads Prometheus text', () => {
    const m = parseMetrics('# HELP x\nalice_swim_failures_total 3\nalice_swim_members{state="alive"} 12\n');
    expect(m.get('alice_swim_members{state="alive"}')).toBe(12);
  });

  const ev = (at: number, observer: string, event: 'failed' | 'suspected', member: string) => ({ at, observer, event, member });
  it('counts only unexcused failures and times detection by the last observer', () => {
    const events = [ev(10, 'a', 'failed', 'c'), ev(12, 'b', 'failed', 'c'), ev(15, 'a', 'suspected', 'b'), ev(30, 'b', 'failed', 'a')];
    expect(unexcused(events, 0, 20, (e) => e.member === 'c')).toEqual({ failed: 0, suspected: 1 });
    expect(unexcused(events, 0, 40, () => false)).toEqual({ failed: 3, suspected: 1 });
    expect(detectionTime(events, 'c', ['a', 'b'], 5)).toBe(7);
    expect(detectionTime(events, 'c', ['a', 'b', 'd'], 5)).toBeUndefined();
  });
});

const result = (patch: Partial<ScenarioResult>): ScenarioResult => ({
  name: 'x', what: '', agents: 3, faults: 1, crashesInjected: 0, crashesDetected: 0, detectionMs: [], falseFailures: 0, falseSuspicions: 0,
  lostPermanently: [], falseDeathsAfterHeal: 0, durationMs: 1, notes: [], ...patch,
});

describe('judgement', () => {
  it('passes a clean run and adds loss failures by percent', () => {
    const s = summarize([result({ lossPercent: 10, falseFailures: 2 }), result({ lossPercent: 20, falseFailures: 5 }), result({ crashesInjected: 2, crashesDetected: 2, detectionMs: [800, 900], remergeMs: 1200 })]);
    expect(s).toMatchObject({ faultsInjected: 3, membersLostPermanently: 0, crashesDetected: 2, detectionMsMax: 900, remergeMsMax: 1200, lossFalseFailures: { 10: 2, 20: 5 }, falseFailuresOutsideLoss: 0 });
    expect(verdicts(s).every((v) => v.ok)).toBe(true);
    expect(table([result({})], s, verdicts(s))).toContain('| scenario');
  });

  it('fails a lost member, a false death after heal, a missed crash or a scenario that threw', () => {
    const s = summarize([result({ lostPermanently: ['m03'], falseDeathsAfterHeal: 1, crashesInjected: 1 })]);
    const v = verdicts(s, ['partition: boom']);
    expect(v.filter((x) => !x.ok).map((x) => x.rule)).toEqual(['members lost permanently = 0', 'false deaths after heal = 0', 'every crash detected', 'every scenario ran to its end']);
  });

  it('reads its arguments and names a bad one', () => {
    expect(parseArgs(['--quick', '--agents', '20'])).toEqual({ quick: true, agents: 20, out: 'out/faults.json' });
    expect(() => parseArgs(['--agents', '2'])).toThrow('--agents must be a whole number 4..');
    expect(() => parseArgs(['--fast'])).toThrow("unknown argument '--fast'");
  });
});
