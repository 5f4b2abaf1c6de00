/**
 * The library API: a discovery node an Inferno service embeds. It wraps a protocol core (any
 * NodeBehaviour; SWIM in production) in the runtime and a transport, and offers
 *
 *   start()                 open the transport, initialise the core, join through the seeds
 *   leave()                 announce a graceful leave, let it go out, then stop
 *   updateInfo(patch)       change this node's own NodeInfo (only the node itself can)
 *   reportVitals(vitals)    feed the health summary other members see
 *   members()               every member known, with status, incarnation, NodeInfo
 *   healthyBackends()       the backends a load balancer should route to
 *   on(event, listener)     joined | updated | suspected | alive | failed | left | removed
 *
 * Nothing here is protocol logic: the core decides, this layer only carries effects and events.
 */
import type { NodeId, NodeInfo, NodeVitals } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeInfoPatch, NodeSetup, Notification, Output } from '../../spec/step.js';
import type { MemberStatus, View } from '../../spec/view.js';
import { MEMBER_STATUSES } from '../../spec/view.js';
import { NodeRuntime } from '../runtime/runtime.js';
import type { Clock, Scheduler, Transport } from '../runtime/types.js';
import { systemScheduler } from '../runtime/types.js';
import type { DiscoverySource, MemberRecord } from './http.js';
import { Metrics } from './metrics.js';
import type { SwimMessage } from '../../spec/swim.js';
import { DEFAULT_MAX_DATAGRAM, SwimCodec } from './codec.js';
import { SWIM_LAN, type SwimCoreConfig, healthyBackends as swimHealthyBackends, members as swimMembers, swimNode as swimCore } from './index.js';
import type { Keyring } from './keyring.js';
import type { RecordSigner, RecordVerifier } from './signing.js';
import type { SwimState } from './index.js';
import { NetTransport } from './transport-udp.js';

/** The membership events an application listens to, with their payloads. */
export interface MemberEvents {
  readonly joined: { readonly member: NodeId; readonly info: NodeInfo };
  readonly updated: { readonly member: NodeId; readonly info: NodeInfo };
  readonly suspected: { readonly member: NodeId };
  /** A suspected member refuted its suspicion. */
  readonly alive: { readonly member: NodeId };
  readonly failed: { readonly member: NodeId };
  readonly left: { readonly member: NodeId };
  /** A dead or left member was reaped from the table. */
  readonly removed: { readonly member: NodeId; readonly reason: string };
}
export type MemberEventName = keyof MemberEvents;

/** What the network messages of a protocol mean to the metrics. */
export type MessageRole = 'probe' | 'indirect-probe' | 'ack' | 'nack' | 'other';

/** Protocol-specific views a node offers beyond the shared View. */
export interface ProtocolHooks<S, M> {
  /** Classifies a message for the probe/ack counters. Default: everything is 'other'. */
  readonly roleOf?: (message: M) => MessageRole;
  /** The member's advertised health summary, when the protocol carries one. */
  readonly healthOf?: (state: S, member: NodeId) => { readonly ready: boolean; readonly loadBucket: number } | undefined;
  /** This node's own version (SWIM: its incarnation), read cheaply after every step. Default: from the View. */
  readonly selfVersion?: (state: S) => number;
  /** The protocol's own healthy-backend rule. Default: alive backends in the View. */
  readonly healthyBackends?: (state: S) => readonly NodeInfo[];
}

export interface DiscoveryNodeOptions<S, M, Cfg> {
  readonly behaviour: NodeBehaviour<S, M, Cfg>;
  readonly setup: Omit<NodeSetup<Cfg>, 'now'>;
  readonly transport: Transport<M>;
  /** Join targets: member ids, or "host:port" of seeds when the transport routes addresses. */
  readonly seeds?: readonly string[];
  readonly hooks?: ProtocolHooks<S, M>;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  /**
   * Time between announcing a leave and closing the sockets, ms. Default 300: long enough for the
   * leave to go out and be relayed once by piggyback on a LAN, short enough for a fast shutdown.
   */
  readonly leaveGraceMs?: number;
  /** Called when a step throws (a core bug): default logs nothing and keeps running. */
  readonly onError?: (error: unknown) => void;
  /**
   * Join again this long after the core gives up (JOIN_FAILED: no seed answered in joinMaxAttempts),
   * and keep doing so until a join succeeds; consul's retry_join. Default: off, the caller decides.
   * Without it a node whose seeds were slow to answer (the fault suite's 52-agent start at load 25 on
   * two cores left 14 alone) stays a cluster of one for good, saying nothing.
   */
  readonly retryJoinMs?: number;
  /** Told each time the core gives up a join, with its reason (the agent prints it on stderr). */
  readonly onJoinFailed?: (reason: string) => void;
}

type Listener<K extends MemberEventName> = (event: MemberEvents[K]) => void;

export class DiscoveryNode<S, M, Cfg> implements DiscoverySource {
  readonly metrics: Metrics;
  private readonly runtime: NodeRuntime<S, M, Cfg>;
  private readonly listeners: { [K in MemberEventName]: Set<Listener<K>> } = {
    joined: new Set(),
    updated: new Set(),
    suspected: new Set(),
    alive: new Set(),
    failed: new Set(),
    left: new Set(),
    removed: new Set(),
  };
  private readonly anyListeners = new Set<(name: MemberEventName, event: MemberEvents[MemberEventName]) => void>();
  private selfVersion = 0;
  private leaving = false;

  constructor(private readonly options: DiscoveryNodeOptions<S, M, Cfg>) {
    this.metrics = options.metrics ?? new Metrics();
    this.runtime = new NodeRuntime(options.behaviour, options.setup, {
      transport: options.transport,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      onNotify: (e) => this.notify(e),
      onStep: (input, outputs, state) => this.observe(input, outputs, state),
      onError: (e) => options.onError?.(e),
    });
  }

  get id(): NodeId {
    return this.options.setup.id;
  }

  get isRunning(): boolean {
    return this.runtime.isRunning;
  }

  /** The core's state (diagnostics, tests). */
  get state(): S {
    return this.runtime.state;
  }

  on<K extends MemberEventName>(name: K, listener: Listener<K>): () => void {
    const set = this.listeners[name] as Set<Listener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Every membership event, in order (the agent prints these as JSON lines). */
  onAny(listener: (name: MemberEventName, event: MemberEvents[MemberEventName]) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.selfVersion = this.view().members[this.id]?.version ?? 0;
    const seeds = this.options.seeds ?? [];
    if (seeds.length > 0) this.runtime.command({ kind: 'join', seeds });
  }

  /** Announces the leave, waits leaveGraceMs for it to go out, then stops. Idempotent. */
  async leave(): Promise<void> {
    if (this.leaving || !this.runtime.isRunning) return;
    this.leaving = true;
    this.runtime.command({ kind: 'leave' });
    const scheduler = this.options.scheduler ?? systemScheduler;
    await new Promise<void>((resolve) => scheduler.set(resolve, this.options.leaveGraceMs ?? 300));
    await this.runtime.stop();
  }

  /** Stops at once, sending nothing more: to others this looks like a crash. */
  async kill(): Promise<void> {
    await this.runtime.stop();
  }

  updateInfo(patch: NodeInfoPatch): void {
    this.runtime.command({ kind: 'update', patch });
  }

  reportVitals(vitals: NodeVitals): void {
    this.runtime.command({ kind: 'vitals', vitals });
  }

  view(): View {
    return this.runtime.view();
  }

  members(): MemberRecord[] {
    const state = this.runtime.state;
    const healthOf = this.options.hooks?.healthOf;
    return Object.entries(this.view().members)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, m]) => {
        const health = healthOf?.(state, id);
        return { id, status: m.status, incarnation: m.version, info: m.info, ...(health ? { health } : {}) };
      });
  }

  healthyBackends(): NodeInfo[] {
    const own = this.options.hooks?.healthyBackends;
    if (own) return [...own(this.runtime.state)];
    return Object.values(this.view().members)
      .filter((m) => m.status === 'alive' && m.info.nodeType === 'backend')
      .map((m) => m.info)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  metricsText(): string {
    const counts = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, 0])) as Record<MemberStatus, number>;
    if (this.runtime.isRunning || this.leaving) for (const m of Object.values(this.view().members)) counts[m.status]++;
    this.metrics.setMembers(counts);
    return this.metrics.render();
  }

  private emit<K extends MemberEventName>(name: K, event: MemberEvents[K]): void {
    for (const l of this.listeners[name] as Set<Listener<K>>) l(event);
    for (const l of this.anyListeners) l(name, event);
  }

  private joinFailed(reason: string): void {
    this.options.onJoinFailed?.(reason);
    const after = this.options.retryJoinMs;
    const seeds = this.options.seeds ?? this.options.setup.seeds;
    if (after === undefined || seeds.length === 0) return;
    const scheduler = this.options.scheduler ?? systemScheduler;
    scheduler.set(() => {
      if (!this.leaving && this.runtime.isRunning) this.runtime.command({ kind: 'join', seeds });
    }, after);
  }

  private notify(e: Notification): void {
    switch (e.kind) {
      case 'joined':
        return this.emit('joined', { member: e.member, info: e.info });
      case 'updated':
        return this.emit('updated', { member: e.member, info: e.info });
      case 'suspected':
        this.metrics.inc('suspicions_total');
        return this.emit('suspected', { member: e.member });
      case 'alive':
        return this.emit('alive', { member: e.member });
      case 'failed':
        this.metrics.inc('failures_total');
        return this.emit('failed', { member: e.member });
      case 'left':
        return this.emit('left', { member: e.member });
      case 'removed':
        return this.emit('removed', { member: e.member, reason: e.reason });
      case 'rejected':
        if (e.code === 'JOIN_FAILED') this.joinFailed(e.reason);
        return;
      default:
        return;
    }
  }

  private observe(input: Input<M> | undefined, outputs: readonly Output<M>[], state: S): void {
    const roleOf = this.options.hooks?.roleOf;
    if (roleOf) {
      for (const o of outputs) {
        if (o.type !== 'send') continue;
        const role = roleOf(o.message);
        if (role === 'probe') this.metrics.inc('probes_total');
        else if (role === 'indirect-probe') this.metrics.inc('indirect_probes_total');
      }
      if (input?.type === 'receive') {
        const role = roleOf(input.message);
        if (role === 'ack') this.metrics.inc('acks_received_total');
        else if (role === 'nack') this.metrics.inc('nacks_received_total');
      }
    }
    // A node raises its own incarnation only to change its record or to refute; without an update
    // command, a raise is a refutation.
    const own = this.options.hooks?.selfVersion;
    const v = own ? own(state) : (this.options.behaviour.view(state).members[this.id]?.version ?? this.selfVersion);
    if (v > this.selfVersion && !(input?.type === 'command' && input.command.kind === 'update') && input !== undefined) this.metrics.inc('refutations_total');
    this.selfVersion = v;
  }
}

// ---------------------------------------------------------------------------------------------
// A SWIM node over UDP/TCP: the core, the codec, the transport and the API, wired.

export interface SwimNodeOptions {
  readonly id: NodeId;
  /** This node's own record (what it serves, where). Its lastUpdated is stamped at start when 0. */
  readonly info: NodeInfo;
  /** "host:port" of the SWIM socket (UDP and TCP). Port 0 picks a free one. */
  readonly bind: string;
  /** Seeds to join through, "host:port" (or ids already in the address book). Empty: start a cluster. */
  readonly seeds?: readonly string[];
  /** Protocol knobs. Default SWIM_LAN; the packet budget and sizeOf are set from the codec. */
  readonly config?: SwimCoreConfig;
  /** Seed of the core's generator. Default 1. */
  readonly rngSeed?: number;
  /** Datagram cap, bytes. Default 1,400 (see codec.ts). */
  readonly maxDatagramBytes?: number;
  readonly keyring?: Keyring;
  /** Signs this node's own records (signed self-records). */
  readonly signer?: RecordSigner;
  /** Verifies every alive record received; records that fail are dropped and counted. */
  readonly verifier?: RecordVerifier;
  readonly allowRemote?: boolean;
  /** Bound of the codec's per-member cache (codec.ts maxCachedRecords). */
  readonly maxCachedRecords?: number;
  readonly dropOutgoing?: () => boolean;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  readonly leaveGraceMs?: number;
  readonly onError?: (error: unknown) => void;
  /** See DiscoveryNodeOptions.retryJoinMs (default off; `alice agent` sets 5,000 ms). */
  readonly retryJoinMs?: number;
  readonly onJoinFailed?: (reason: string) => void;
}

export type SwimNode = DiscoveryNode<SwimState, SwimMessage, SwimCoreConfig> & { readonly transport: NetTransport<SwimMessage>; readonly codec: SwimCodec };

/** Bytes a datagram spends before its updates: header, sender id, seq, a target id, the count. */
function headerReserve(id: NodeId): number {
  return 3 + 2 + Buffer.byteLength(id) + 9 + 2 + 255 + 1;
}

const ROLE: Readonly<Record<SwimMessage['kind'], MessageRole>> = { ping: 'probe', pingReq: 'indirect-probe', ack: 'ack', nack: 'nack', gossip: 'other', join: 'other', sync: 'other', syncReply: 'other' };

export function createSwimNode(o: SwimNodeOptions): SwimNode {
  const metrics = new Metrics();
  const maxDatagram = o.maxDatagramBytes ?? DEFAULT_MAX_DATAGRAM;
  let transport: NetTransport<SwimMessage> | undefined;
  const codec = new SwimCodec({
    self: o.id,
    selfAddress: () => (transport?.isStarted ? transport.boundAddress : undefined),
    addressOf: (m) => transport?.addressOf(m),
    learnAddress: (m, a) => transport?.learnHint(m, a),
    onRejectedRecord: (reason) => metrics.inc('packets_dropped_total', 1, { reason }),
    ...(o.signer ? { signer: o.signer } : {}),
    ...(o.verifier ? { verifier: o.verifier } : {}),
    ...(o.maxCachedRecords !== undefined ? { maxCachedRecords: o.maxCachedRecords } : {}),
  });
  transport = new NetTransport<SwimMessage>({
    id: o.id,
    bind: o.bind,
    codec,
    metrics,
    maxDatagramBytes: maxDatagram,
    ...(o.keyring ? { keyring: o.keyring } : {}),
    ...(o.allowRemote ? { allowRemote: true } : {}),
    ...(o.dropOutgoing ? { dropOutgoing: o.dropOutgoing } : {}),
  });
  const base = o.config ?? SWIM_LAN;
  const config: SwimCoreConfig = { ...base, sizeOf: codec.sizeOf, packetBudgetBytes: Math.max(64, Math.min(base.packetBudgetBytes, maxDatagram - headerReserve(o.id))) };
  const node = new DiscoveryNode<SwimState, SwimMessage, SwimCoreConfig>({
    behaviour: swimCore,
    setup: { id: o.id, info: o.info, seeds: o.seeds ?? [], rngSeed: o.rngSeed ?? 1, config },
    transport,
    metrics,
    hooks: {
      roleOf: (m) => ROLE[m.kind],
      selfVersion: (s) => s.incarnation,
      healthOf: (s, id) => swimMembers(s).find((m) => m.id === id)?.health,
      healthyBackends: (s) => swimHealthyBackends(s),
    },
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.scheduler ? { scheduler: o.scheduler } : {}),
    ...(o.leaveGraceMs !== undefined ? { leaveGraceMs: o.leaveGraceMs } : {}),
    ...(o.onError ? { onError: o.onError } : {}),
    ...(o.retryJoinMs !== undefined ? { retryJoinMs: o.retryJoinMs } : {}),
    ...(o.onJoinFailed ? { onJoinFailed: o.onJoinFailed } : {}),
  });
  // The codec remembers a member no longer than the table does.
  node.on('removed', (e) => codec.forget(e.member));
  return Object.assign(node, { transport, codec });
}
