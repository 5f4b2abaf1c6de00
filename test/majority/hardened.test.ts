/**
 * majority-hardened (spec/majority-hardened.ts): versioned self-sovereign records. Each behaviour is
 * shown on the core and on the model, and beside the baseline where the baseline does otherwise, so
 * the test also proves the flag changes nothing when it is off.
 */
import { describe, expect, it } from 'vitest';
import { MAJORITY_PRESETS, majorityCluster, majorityConfig, majorityNode } from '../../impl/majority/index.js';
import { majorityModel } from '../../model/majority/index.js';
import { ConfigError, DecodeError } from '../../spec/errors.js';
import { type VersionedPeerInfo, resolveNewest, supersedes } from '../../spec/majority-hardened.js';
import type { MajorityConfig, MajorityMessage } from '../../spec/majority.js';
import { orders } from '../../spec/properties.js';
import type { Input, NodeBehaviour, Output } from '../../spec/step.js';
import { majorityMessageBytes, majorityWireText } from '../../experiment/majority-sim.js';

const baseline: MajorityConfig = MAJORITY_PRESETS.local;
const hardened: MajorityConfig = { ...baseline, versionedRecords: true };
type Behaviour = NodeBehaviour<unknown, MajorityMessage, MajorityConfig>;
const SIDES: readonly [string, Behaviour][] = [
  ['core', majorityNode as unknown as Behaviour],
  ['model', majorityModel as unknown as Behaviour],
];

/** Run `inputs` on node `at` of an n-node cluster; the final state's view and every output. */
function drive(node: Behaviour, cfg: MajorityConfig, n: number, at: number, inputs: readonly Input<MajorityMessage>[]) {
  const setup = majorityCluster(n, cfg)[at];
  let { state, outputs } = node.init(setup);
  const all: Output<MajorityMessage>[] = [...outputs];
  for (const input of inputs) {
    ({ state, outputs } = node.step(state, input));
    all.push(...outputs);
  }
  return { view: node.view(state), outputs: all };
}

const n2Info = (address: string) => ({ ...majorityCluster(2, baseline)[1].info, address, lastUpdated: 0 });
const from = (who: string, message: MajorityMessage): Input<MajorityMessage> => ({ type: 'receive', from: who, message, now: 0 });
const entry = (id: string, address: string, version: number): VersionedPeerInfo => ({ id, address, metricsPort: 9090, nodeType: 'backend', isLoadBalancer: false, lastUpdated: 0, version });

describe('majority-hardened: only strictly newer records apply', () => {
  for (const [side, node] of SIDES) {
    it(`${side}: a delayed registration no longer overwrites a newer update (the baseline's 4-step regression)`, () => {
      const inputs = [from('n2', { kind: 'update', originator: 'n2', info: n2Info('10.1.0.2:8080'), version: 1 }), from('n2', { kind: 'register', info: n2Info('10.0.0.2:8080'), version: 0 })];
      expect(drive(node, baseline, 2, 0, inputs).view.members.n2.info.address).toBe('10.0.0.2:8080');
      const after = drive(node, hardened, 2, 0, inputs);
      expect(after.view.members.n2).toMatchObject({ version: 1, info: { address: '10.1.0.2:8080' } });
      // The registrant still gets its reply, now with versions.
      expect(after.outputs).toContainEqual({ type: 'send', to: 'n2', message: { kind: 'registerReply', peers: expect.arrayContaining([expect.objectContaining({ id: 'n2', version: 1 })]) } });
    });

    it(`${side}: a resolution of older replies never replaces a newer held record`, () => {
      // n1 registers with n2 and n3, learns n3's update, then resolves n2's stale reply alone.
      const stale: MajorityMessage = { kind: 'registerReply', peers: [entry('n2', '10.0.0.2:8080', 0), entry('n3', '10.0.0.3:8080', 0)] };
      const inputs: Input<MajorityMessage>[] = [
        from('n3', { kind: 'update', originator: 'n3', info: { ...majorityCluster(3, baseline)[2].info, address: '10.1.0.3:8080', lastUpdated: 0 }, version: 1 }),
        from('n2', stale),
        { type: 'timer', timer: 'registration', now: 0 },
      ];
      expect(drive(node, baseline, 3, 0, inputs).view.members.n3.info.address).toBe('10.0.0.3:8080');
      const after = drive(node, hardened, 3, 0, inputs);
      expect(after.view.members.n3).toMatchObject({ version: 1, info: { address: '10.1.0.3:8080' } });
      // A record learned only through resolution keeps the version it was resolved at.
      expect(after.view.members.n2.version).toBe(0);
    });

    it(`${side}: a restart advances the version past the one stated before the crash`, () => {
      const update: Input<MajorityMessage> = { type: 'command', command: { kind: 'update', patch: { address: '10.1.0.1:8080' } }, now: 0 };
      const cycle: Input<MajorityMessage>[] = [update, { type: 'crash', now: 0 }, { type: 'restart', now: 0 }];
      const announced = (cfg: MajorityConfig) =>
        drive(node, cfg, 1, 0, cycle).outputs.flatMap((o) => (o.type === 'notify' && o.event.kind === 'announced' ? [o.event.version] : []));
      expect(announced(baseline)).toEqual([0, 1, 0]);
      expect(announced(hardened)).toEqual([0, 1, 2]);
    });

    it(`${side}: the baseline's replies carry no versions`, () => {
      const r = drive(node, baseline, 2, 0, [from('n2', { kind: 'register', info: n2Info('10.0.0.2:8080'), version: 0 })]);
      const reply = r.outputs.find((o) => o.type === 'send' && o.message.kind === 'registerReply');
      const peers = reply?.type === 'send' && reply.message.kind === 'registerReply' ? reply.message.peers : [];
      expect(peers.length).toBe(2);
      for (const p of peers) expect(p).not.toHaveProperty('version');
    });
  }
});

describe('resolveNewest: the hardened resolution rule', () => {
  it('takes the highest version of each record, whatever the order of the replies', () => {
    const replies = [[entry('n3', 'old:1', 0)], [entry('n3', 'new:1', 2), entry('n2', 'a:1', 0)], [entry('n3', 'mid:1', 1)]];
    for (const order of orders(replies)) {
      expect(resolveNewest(order)).toEqual([entry('n2', 'a:1', 0), entry('n3', 'new:1', 2)]);
    }
  });

  it('breaks a tie between different records of one version by content, not by arrival', () => {
    const a = [entry('n3', 'a:1', 1)];
    const b = [entry('n3', 'b:1', 1)];
    expect(resolveNewest([a, b])).toEqual(resolveNewest([b, a]));
  });

  it('refuses entries without a version, and no responses at all', () => {
    const { version: _dropped, ...bare } = entry('n3', 'a:1', 1);
    expect(() => resolveNewest([[bare]])).toThrow(DecodeError);
    expect(() => resolveNewest([])).toThrow('No peer responses provided for consensus');
  });

  it('supersedes only with a strictly newer version', () => {
    expect(supersedes(0, undefined)).toBe(true);
    expect([supersedes(2, 1), supersedes(1, 1), supersedes(0, 1)]).toEqual([true, false, false]);
  });
});

describe('majority-hardened configuration and wire size', () => {
  it('accepts the versionedRecords switch and rejects a non-boolean one', () => {
    expect(majorityConfig({ versionedRecords: true }).versionedRecords).toBe(true);
    expect(() => majorityConfig({ versionedRecords: 'yes' as unknown as boolean })).toThrow(ConfigError);
  });

  it('counts each reply entry version in the simulator byte size, as the JSON text carries it', () => {
    const m: MajorityMessage = { kind: 'registerReply', peers: [entry('n2', '10.0.0.2:8080', 0), entry('n13', '10.0.0.13:8080', 12)] };
    expect(majorityWireText(m)).toContain('"version":12');
    expect(majorityMessageBytes(m)).toBe(Buffer.byteLength(majorityWireText(m), 'utf8'));
  });
});
