/**
 * SWIM as the simulator sees it: the unchanged impl/swim core, with message sizes measured by the
 * production codec (impl/swim/codec.ts). Records carry a gossip address, as the UDP transport's do,
 * and are unsigned (signing is optional in production and adds a fixed 96 bytes per alive record).
 * The core packs piggybacked updates with the same codec's exact sizes, as the production node does.
 */
import type { NodeId } from '../spec/node.js';
import { DEFAULT_HEALTH, type MemberRecord, type MemberUpdate, type SwimMessage, pushPullPeriod } from '../spec/swim.js';
import type { MemberView } from '../spec/view.js';
import { SwimCodec } from '../impl/swim/codec.js';
import { type SwimCoreConfig, type SwimState, SWIM_LAN, healthyBackends, memberSnapshot, routesTo, swimImplProtocol, swimInitFromSnapshot } from '../impl/swim/index.js';
import { getMember, sumRecords } from '../impl/swim/membership.js';
import { listedTable } from '../impl/swim/push-pull.js';
import type { SimProtocol } from './sim-protocol.js';

/** A gossip address per member, of the length a real "10.0.x.y:7946" has. */
export function gossipAddress(id: NodeId): string {
  const i = Number(id.replace(/\D/g, '')) || 0;
  return `10.0.${Math.floor(i / 256)}.${i % 256}:7946`;
}

export function swimMemberView(state: SwimState, id: NodeId): MemberView | undefined {
  const m = getMember(state.table, id);
  return m === undefined ? undefined : { status: m.status, version: m.incarnation, info: m.info };
}

/** SWIM's full-state exchanges (join, push-pull) run over TCP, as memberlist's do; probes and gossip are UDP datagrams. */
const SWIM_STREAMS: ReadonlySet<string> = new Set<SwimMessage['kind']>(['join', 'sync', 'syncReply']);

export function swimTransportOf(m: SwimMessage): 'udp' | 'tcp' {
  return SWIM_STREAMS.has(m.kind) ? 'tcp' : 'udp';
}

/** The sender id every message is sized with: six characters, as n1..n10000 padded would be. */
const SENDER = 'n00000';

/** Bytes of an unsigned LEB128 varint (impl/swim/bytes.ts ByteWriter.uvar). */
function uvarBytes(v: number): number {
  let n = 1;
  for (let x = v; x >= 0x80; x = Math.floor(x / 0x80)) n++;
  return n;
}

/** Bytes of a length-prefixed UTF-8 string (ByteWriter.str). */
function strBytes(s: string): number {
  const b = Buffer.byteLength(s, 'utf8');
  return uvarBytes(b) + b;
}

/** magic | version | kind | sender. */
const HEADER_BYTES = 3 + strBytes(SENDER);

/**
 * The exact length of codec.encode(SENDER, m) without encoding it. A datagram is its header, its
 * fixed fields and its updates, and the codec itself measures each update (SwimCodec.sizeOf, the same
 * figure the core packs datagrams with, remembered per update object): re-encoding every datagram
 * cost a tenth of a 1,000-node run, and a 10,000-member full-table exchange is 600 kB to write. Only a
 * datagram of more than 255 updates (the codec then leaves some out) is encoded. The equality is
 * tested for every kind (test/experiment/swim-sim.test.ts).
 */
export function swimMessageSizer(codec: SwimCodec): (m: SwimMessage) => number {
  // A message object sent to several peers is encoded once.
  const encoded = new WeakMap<object, number>();
  const encode = (m: SwimMessage): number => {
    let s = encoded.get(m);
    if (s === undefined) {
      s = codec.encode(SENDER, m, Number.MAX_SAFE_INTEGER).length;
      encoded.set(m, s);
    }
    return s;
  };
  const updates = (us: readonly MemberUpdate[]): number => {
    let b = 1;
    for (const u of us) b += codec.sizeOf(u);
    return b;
  };
  // A record is member | status | incarnation | alive body, an alive update kind | member |
  // incarnation | alive body: the same length. The body (info, health, gossip address) is measured once
  // per NodeInfo object, which every table holding the member shares, and health is one byte.
  // Remembered: member | status | body, all but the incarnation (a full-table exchange at 10,000 nodes
  // sizes 10,000 records).
  const bodies = new WeakMap<object, number>();
  // The core keeps one wire record per stored member (impl/swim/membership.ts toRecord), so the same
  // record objects come back exchange after exchange: remembered whole, a record is one lookup.
  const records = new WeakMap<MemberRecord, number>();
  const record = (r: MemberRecord): number => {
    const known = records.get(r);
    if (known !== undefined) return known;
    let rest = r.info.id === r.member ? bodies.get(r.info) : undefined;
    if (rest === undefined) {
      // sizeOf(alive) = kind | member | uvar(0) | body, so member | status | body is sizeOf(alive) - 1.
      rest = codec.sizeOf({ kind: 'alive', member: r.member, incarnation: 0, info: r.info, health: r.health }) - 1;
      if (r.info.id === r.member) bodies.set(r.info, rest);
    }
    const size = rest + (r.incarnation < 0x80 ? 1 : uvarBytes(r.incarnation));
    records.set(r, size);
    return size;
  };
  const slotSums = new WeakMap<object, number>();
  return (m) => {
    switch (m.kind) {
      case 'ping':
      case 'ack':
      case 'nack':
        // More than 255 updates would make the codec leave some out: let it say how many bytes remain.
        return m.updates.length > 255 ? encode(m) : HEADER_BYTES + uvarBytes(m.seq) + updates(m.updates);
      case 'pingReq':
        return m.updates.length > 255 ? encode(m) : HEADER_BYTES + uvarBytes(m.seq) + strBytes(m.target) + updates(m.updates);
      case 'gossip':
        return m.updates.length > 255 ? encode(m) : HEADER_BYTES + updates(m.updates);
      case 'join':
        return HEADER_BYTES + record(m.self);
      case 'sync':
      case 'syncReply': {
        const b = HEADER_BYTES + uvarBytes(m.members.length);
        // A listing straight from a node's table is measured by the table's shared slot arrays.
        const table = listedTable(m.members);
        if (table !== undefined) return b + sumRecords(table, record, slotSums);
        let sum = 0;
        for (const r of m.members) sum += record(r);
        return b + sum;
      }
    }
  };
}

export function swimSimProtocol(config: SwimCoreConfig = SWIM_LAN): SimProtocol<SwimState, SwimMessage, SwimCoreConfig> {
  const codec = new SwimCodec({ addressOf: gossipAddress });
  const sizeOf = swimMessageSizer(codec);
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
    routesTo: (s, id) => routesTo(s, id),
    transportOf: swimTransportOf,
    snapshotInit: (setups) => {
      // Every node as it announces itself at start: what each node of a converged cold start holds.
      const snapshot = memberSnapshot(
        setups.map((s) => ({ member: s.id, status: 'alive', incarnation: 0, info: s.info, health: DEFAULT_HEALTH })),
        0,
      );
      return { init: (setup) => swimInitFromSnapshot(setup, snapshot) };
    },
    periodMs: config.probeIntervalMs,
    steadyWindowMs: Math.max(10 * config.probeIntervalMs, config.pushPullIntervalMs),
    steadyWindowAt: (n) => Math.max(10 * config.probeIntervalMs, pushPullPeriod(config.pushPullIntervalMs, n)),
  };
}
