/**
 * Incarnations are self-sovereign: no single packet, and no sequence of packets from one insider,
 * keeps a live, reachable member out of another member's table (not alive there) for longer than one
 * suspicion timeout. The insider n3 sends n1 suspect, dead and left claims about the victim n2, and
 * copies of n2's own alive record, at any incarnation (the current one, ones n2 never announced,
 * the top of the number range), resent throughout; n1, n2 and n3 otherwise run the protocol.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SWIM_LAN, type SwimCoreConfig, type SwimState, swimCluster, swimCore } from '../../impl/swim/index.js';
import { MAX_INCARNATION, type MemberUpdate, type SwimMessage, suspicionTimeout } from '../../spec/swim.js';
import { SwimCodec } from '../../impl/swim/codec.js';
import type { NodeBehaviour } from '../../spec/step.js';
import { Sim } from './sim.js';

/** The core behind the wire: every received message goes through the codec, as on a socket (a message the codec cannot write or read is lost). */
const codec = new SwimCodec();
const wired: NodeBehaviour<SwimState, SwimMessage, SwimCoreConfig> = {
  ...swimCore,
  step: (state, input) => {
    if (input.type !== 'receive') return swimCore.step(state, input);
    let bytes: Uint8Array;
    try {
      bytes = codec.encode(input.from, input.message, 1 << 20);
    } catch {
      return { state, outputs: [] }; // the transport counts a message it cannot encode as a send error
    }
    const d = codec.decode(bytes);
    return d.ok ? swimCore.step(state, { ...input, message: d.message }) : { state, outputs: [] };
  },
};

const CFG: SwimCoreConfig = { ...SWIM_LAN, pushPullIntervalMs: 5_000, reapAfterMs: 10_000 };
/** The longest suspicion a 3-member cluster runs: the Lifeguard start, before any confirmation. */
const floor = CFG.suspicionMult * Math.ceil(Math.log10(3 + 1)) * CFG.probeIntervalMs;
const SUSPICION_MS = suspicionTimeout(floor, floor * CFG.suspicionMaxTimeoutMult, 0, 1);

type Pick = 'current' | 'next' | 'far' | 'top-1' | 'top' | 'max-safe';
type Attack = { readonly kind: 'suspect' | 'dead' | 'left' | 'alive'; readonly at: Pick; readonly to: 'n1' | 'n2' };

function incarnationFor(pick: Pick, current: number): number {
  switch (pick) {
    case 'current':
      return current;
    case 'next':
      return current + 1;
    case 'far':
      return current + 1_000_000;
    case 'top-1':
      return MAX_INCARNATION - 1;
    case 'top':
      return MAX_INCARNATION;
    case 'max-safe':
      return Number.MAX_SAFE_INTEGER;
  }
}

/** Runs the attack for 60 s (one round of packets every 250 ms), then 30 s more; returns n2's longest stretch out of n1's table. */
function longestOut(attacks: readonly Attack[]): number {
  const sim = new Sim<SwimState, SwimMessage, SwimCoreConfig>(wired, swimCluster(3, CFG));
  sim.runUntil(10_000);
  expect(sim.view('n1').members.n2?.status).toBe('alive');
  const start = sim.now;
  let outSince: number | undefined;
  let longest = 0;
  for (let t = start; t <= start + 90_000; t += 250) {
    sim.runUntil(t);
    // Sampled before this round's packets: a member re-accused at once after each refutation flaps,
    // which one insider can always cause (SWIM lets any member suspect); what must not happen is a
    // stretch out that no refutation ends.
    const out = sim.view('n1').members.n2?.status !== 'alive';
    if (out) outSince ??= t;
    else outSince = undefined;
    if (outSince !== undefined) longest = Math.max(longest, t - outSince);
    if (t < start + 60_000) {
      for (const a of attacks) {
        const known = sim.view(a.to).members.n2;
        const incarnation = incarnationFor(a.at, known?.version ?? 0);
        const info = sim.view('n2').members.n2.info;
        const update: MemberUpdate =
          a.kind === 'alive'
            ? { kind: 'alive', member: 'n2', incarnation, info, health: { ready: true, loadBucket: 0 } }
            : a.kind === 'left'
              ? { kind: 'left', member: 'n2', incarnation }
              : { kind: a.kind, member: 'n2', incarnation, from: 'n3' };
        sim.input(a.to, { type: 'receive', from: 'n3', message: { kind: 'gossip', updates: [update] } });
      }
    }
  }
  return longest;
}

describe('insider eviction (incarnations are self-sovereign)', () => {
  it.each([
    ['dead', 'max-safe'],
    ['dead', 'top'],
    ['suspect', 'far'],
    ['left', 'max-safe'],
    ['dead', 'current'],
  ] as const)('a %s claim at %s incarnation, resent, keeps the victim out at most one suspicion timeout', (kind, at) => {
    expect(longestOut([{ kind, at, to: 'n1' }])).toBeLessThanOrEqual(SUSPICION_MS);
  });

  it('no sequence of claims from one insider keeps the victim out longer than one suspicion timeout', () => {
    const attack = fc.record({
      kind: fc.constantFrom('suspect', 'dead', 'left', 'alive'),
      at: fc.constantFrom<Pick>('current', 'next', 'far', 'top-1', 'top', 'max-safe'),
      to: fc.constantFrom<'n1' | 'n2'>('n1', 'n2'),
    });
    fc.assert(
      fc.property(fc.array(attack, { minLength: 1, maxLength: 4 }), (attacks) => longestOut(attacks) <= SUSPICION_MS),
      { numRuns: 25, seed: 13 },
    );
  });
});
