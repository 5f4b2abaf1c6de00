/**
 * SWIM as the simulator sees it: the unchanged impl/swim core, with message sizes measured by the
 * production codec (impl/swim/codec.ts). Records carry a gossip address, as the UDP transport's do,
 * and are unsigned (signing is optional in production and adds a fixed 96 bytes per alive record).
 * The core packs piggybacked updates with the same codec's exact sizes, as the production node does.
 */
import type { NodeId } from '../spec/node.js';
import type { SwimMessage } from '../spec/swim.js';
import type { MemberView } from '../spec/view.js';
import { SwimCodec } from '../impl/swim/codec.js';
import { type SwimCoreConfig, type SwimState, SWIM_LAN, healthyBackends, swimImplProtocol } from '../impl/swim/index.js';
import { getMember } from '../impl/swim/membership.js';
import type { SimProtocol } from './sim-protocol.js';

/** A gossip address per member, of the length a real "10.0.x.y:7946" has. */
function gossipAddress(id: NodeId): string {
  const i = Number(id.replace(/\D/g, '')) || 0;
  return `10.0.${Math.floor(i / 256)}.${i % 256}:7946`;
}

export function swimMemberView(state: SwimState, id: NodeId): MemberView | undefined {
  const m = getMember(state.table, id);
  return m === undefined ? undefined : { status: m.status, version: m.incarnation, info: m.info };
}

export function swimSimProtocol(config: SwimCoreConfig = SWIM_LAN): SimProtocol<SwimState, SwimMessage, SwimCoreConfig> {
  const codec = new SwimCodec({ addressOf: gossipAddress });
  // A message object sent to several peers is encoded once.
  const sizes = new WeakMap<object, number>();
  const sizeOf = (m: SwimMessage): number => {
    let s = sizes.get(m);
    if (s === undefined) {
      s = codec.encode('n00000', m, Number.MAX_SAFE_INTEGER).length;
      sizes.set(m, s);
    }
    return s;
  };
  const withCodec: SwimCoreConfig = { ...config, sizeOf: codec.sizeOf };
  return {
    definition: {
      ...swimImplProtocol,
      cluster: (n, options) => swimImplProtocol.cluster(n, options).map((s) => ({ ...s, config: withCodec })),
    },
    sizeOf,
    sizeNote:
      'measured: byte length of the production binary codec (impl/swim/codec.ts) encoding, records with a gossip address, unsigned, a 6-character sender id (UDP/IP headers excluded)',
    kindOf: (m) => m.kind,
    memberView: swimMemberView,
    healthyBackends: (s) => healthyBackends(s),
    periodMs: config.probeIntervalMs,
    steadyWindowMs: Math.max(10 * config.probeIntervalMs, config.pushPullIntervalMs),
  };
}
