/**
 * The compact, versioned binary codec for every SWIM message (spec/swim.ts).
 *
 * Packet:   magic 0x53 | version 1 | kind u8 | sender id: str | body
 *   ping, ack, nack   seq: uvar | updates
 *   pingReq           seq: uvar | target: str | updates
 *   gossip            updates
 *   join              record
 *   sync, syncReply   count: uvar | record…
 * updates:  count: u8 | update…        (count patched after packing, so updates that do not fit are left out)
 * update:   kind u8 (0 alive, 1 suspect, 2 dead, 3 left) | member: str | incarnation: uvar | then
 *   alive             info (codec-info.ts) | health u8 (bit 7 ready, bits 0-6 load bucket) | extras
 *   suspect, dead     from: str
 * record:   member: str | status u8 | incarnation: uvar | info | health | extras
 * extras:   flags u8 (bit 0 gossip address, bit 1 signature, bit 2 certificate) | [address: str]
 *           | [public key 32 | signature 64] | [certificate 64: the cluster authority's, of id and key]
 * str:      uvar byte length | UTF-8 (ids at most 255 bytes).   uvar: unsigned LEB128.
 *
 * The extras are the edge's own: the core's records name a member's service address (NodeInfo) but
 * not where its SWIM socket listens, so an alive record carries its member's gossip address (filled
 * from the sender's address book, or the sender's own bound address for its own record), and, when
 * the member signs its records (signing.ts), the member's signature over id, incarnation, info,
 * health and gossip address, forwarded intact by relays.
 *
 * Decoding never throws: truncated, oversized, unknown-version, unknown-kind or malformed input comes
 * back as a typed drop reason; a packet whose alive records fail signature checks loses those records
 * (counted), the rest is delivered.
 */
import type { NodeId } from '../../spec/node.js';
import type { HealthSummary, MemberRecord, MemberUpdate, SwimMessage, SwimMessageKind, SwimStatus } from '../../spec/swim.js';
import { LOAD_BUCKETS } from '../../spec/swim.js';
import { ByteReader, ByteWriter, CodecFault } from './bytes.js';
import { readNodeInfo, writeNodeInfo } from './codec-info.js';
import { CERTIFICATE_BYTES, ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, type RecordSignature, type RecordSigner, type RecordVerifier } from './signing.js';
import type { Decoded, DropReason, WireCodec } from './wire.js';

export const CODEC_MAGIC = 0x53;
export const CODEC_VERSION = 1;
/** Default datagram cap, bytes: fits a 1,500-byte Ethernet MTU after IP and UDP headers. */
export const DEFAULT_MAX_DATAGRAM = 1400;
/** Records in one sync: bounds the memory a hostile peer can make a receiver allocate. */
export const MAX_SYNC_RECORDS = 20_000;
const MAX_UPDATES = 255;
const NO_EXTRAS: RecordExtras = Object.freeze({});

const KINDS: readonly SwimMessageKind[] = ['ping', 'ack', 'pingReq', 'nack', 'gossip', 'join', 'sync', 'syncReply'];
const KIND_CODE: Readonly<Record<SwimMessageKind, number>> = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<SwimMessageKind, number>;
const STATUSES: readonly SwimStatus[] = ['alive', 'suspect', 'dead', 'left'];
const STATUS_CODE: Readonly<Record<SwimStatus, number>> = { alive: 0, suspect: 1, dead: 2, left: 3 };

/**
 * Messages that travel over TCP whatever their size: the full-state exchanges (spec/swim.ts). A join
 * carries one record and goes as a datagram when it fits (as foca's announce does; the joiner retries
 * a lost one every joinRetryMs), and the seed's full-table answer comes back over TCP. Over TCP, a
 * seed's joiners queue for accept: Node accepts one connection per event-loop turn, which made the
 * joins of 100 agents sharing one loop take seconds.
 */
export function isStreamKind(kind: SwimMessageKind): boolean {
  return kind === 'sync' || kind === 'syncReply';
}

/** The edge data an alive record carries besides the core's fields. */
export interface RecordExtras {
  readonly address?: string;
  readonly signature?: RecordSignature;
}

export interface SwimCodecOptions {
  /** The id of the node using this codec (its own records get its own address and signature). */
  readonly self?: NodeId;
  /** This node's gossip address, written into its own alive records. */
  readonly selfAddress?: () => string | undefined;
  /** The gossip address of another member, from the address book, for records that arrive without one. */
  readonly addressOf?: (member: NodeId) => string | undefined;
  /** Signs this node's own alive records. */
  readonly signer?: RecordSigner;
  /** Checks alive records on receipt; records that fail are dropped from the message. */
  readonly verifier?: RecordVerifier;
  /** Called for each accepted alive record that names a gossip address. */
  readonly learnAddress?: (member: NodeId, address: string) => void;
  /** Called for each record refused by the verifier (metrics). */
  readonly onRejectedRecord?: (reason: DropReason, member: NodeId) => void;
  /**
   * Members whose records the codec remembers (gossip address, signature), at most; the oldest
   * written is forgotten first. Default 32,768: three times the largest cluster measured (10,000), so
   * a real member is not pushed out, while a stream of junk ids (200,000 of them held 55–66 MB
   * before this bound) costs at most ~10 MB. A node also forgets a member reaped from its table
   * (node.ts). Forgetting a live member costs little: its address comes back with its next record,
   * and its signature with the next copy of its record this node hears. memberlist keeps no such
   * cache (it does not relay signatures).
   */
  readonly maxCachedRecords?: number;
}

export const DEFAULT_MAX_CACHED_RECORDS = 32_768;

function healthByte(h: HealthSummary): number {
  return (h.ready ? 0x80 : 0) | (h.loadBucket & 0x7f);
}

// Every health summary there is (ready × load bucket), made once: records are read-only, so decoding shares them.
const HEALTHS: readonly HealthSummary[] = Array.from({ length: 2 * LOAD_BUCKETS }, (_, i) => Object.freeze({ ready: i >= LOAD_BUCKETS, loadBucket: i % LOAD_BUCKETS }));

function readHealth(r: ByteReader): HealthSummary {
  const b = r.u8('health');
  const loadBucket = b & 0x7f;
  if (loadBucket >= LOAD_BUCKETS) throw new CodecFault('malformed', `health: load bucket ${loadBucket} ≥ ${LOAD_BUCKETS}`);
  return HEALTHS[((b & 0x80) !== 0 ? LOAD_BUCKETS : 0) + loadBucket];
}

export class SwimCodec implements WireCodec<SwimMessage> {
  /** Updates left out of datagrams because they did not fit (the core's budget should prevent it). */
  overflowed = 0;
  /** Cache of this node's own signatures and of records learnt with their extras, by member. */
  private readonly extras = new Map<NodeId, { incarnation: number; meta: Uint8Array; extras: RecordExtras }>();
  private readonly scratch = new ByteWriter(512);
  /** Packets, written in place into the process's shared slab and handed out as views of it. */
  private readonly out = new ByteWriter();

  private readonly maxCached: number;

  constructor(private readonly options: SwimCodecOptions = {}) {
    this.maxCached = options.maxCachedRecords ?? DEFAULT_MAX_CACHED_RECORDS;
  }

  /** Members whose records are cached (bounded by maxCachedRecords). */
  get cachedRecords(): number {
    return this.extras.size;
  }

  /** Drops what the codec remembers of a member (called when the member is reaped from the table). */
  forget(member: NodeId): void {
    this.extras.delete(member);
  }

  private remember(member: NodeId, entry: { incarnation: number; meta: Uint8Array; extras: RecordExtras }): void {
    // Re-inserted, so the Map's first entry is always the one written longest ago.
    if (!this.extras.delete(member) && this.extras.size >= this.maxCached) {
      const oldest = this.extras.keys().next();
      if (!oldest.done) this.extras.delete(oldest.value);
    }
    this.extras.set(member, entry);
  }

  prefersStream(message: SwimMessage): boolean {
    return isStreamKind(message.kind);
  }

  /** Exact encoded size of one piggybacked update: the core's broadcast queue packs with it. */
  readonly sizeOf = (update: MemberUpdate): number => {
    // The queue asks for the same update objects on every datagram: remember each one's size. An
    // address learnt later can grow a record by a few bytes; encode()'s packing still holds the cap.
    const known = this.sizes.get(update);
    if (known !== undefined) return known;
    const w = this.scratch;
    w.truncate(0);
    this.writeUpdate(w, update);
    this.sizes.set(update, w.length);
    return w.length;
  };
  private readonly sizes = new WeakMap<MemberUpdate, number>();

  encode(from: NodeId, message: SwimMessage, limit = DEFAULT_MAX_DATAGRAM): Uint8Array {
    const w = this.out;
    w.begin();
    w.u8(CODEC_MAGIC);
    w.u8(CODEC_VERSION);
    w.u8(KIND_CODE[message.kind]);
    w.str(from);
    switch (message.kind) {
      case 'ping':
      case 'ack':
      case 'nack':
        w.uvar(message.seq);
        this.writeUpdates(w, message.updates, limit);
        break;
      case 'pingReq':
        w.uvar(message.seq);
        w.str(message.target);
        this.writeUpdates(w, message.updates, limit);
        break;
      case 'gossip':
        this.writeUpdates(w, message.updates, limit);
        break;
      case 'join':
        this.writeRecord(w, message.self);
        break;
      case 'sync':
      case 'syncReply':
        w.uvar(message.members.length);
        for (const r of message.members) this.writeRecord(w, r);
        break;
    }
    return w.finish();
  }

  private writeUpdates(w: ByteWriter, updates: readonly MemberUpdate[], limit: number): void {
    const countAt = w.length;
    w.u8(0);
    let n = 0;
    for (const u of updates) {
      if (n === MAX_UPDATES) {
        this.overflowed += updates.length - n;
        break;
      }
      const before = w.length;
      this.writeUpdate(w, u);
      // Packing: an update that would push the datagram past the cap is taken back; later, smaller ones may fit.
      if (w.length > limit) {
        w.truncate(before);
        this.overflowed++;
        continue;
      }
      n++;
    }
    const end = w.length;
    w.truncate(countAt);
    w.u8(n);
    w.truncate(end);
  }

  private writeUpdate(w: ByteWriter, u: MemberUpdate): void {
    w.u8(STATUS_CODE[u.kind]);
    w.str(u.member);
    w.uvar(u.incarnation);
    if (u.kind === 'alive') this.writeAliveBody(w, u.member, u.incarnation, u);
    else if (u.kind === 'suspect' || u.kind === 'dead') w.str(u.from);
  }

  /** info | health | extras; the signed bytes are info | health | address. */
  private writeAliveBody(w: ByteWriter, member: NodeId, incarnation: number, r: { readonly info: MemberRecord['info']; readonly health: HealthSummary }): void {
    const start = w.length;
    writeNodeInfo(w, r.info);
    w.u8(healthByte(r.health));
    const ex = this.extrasFor(member, incarnation, w, start);
    const cert = ex.signature?.certificate;
    w.u8((ex.address !== undefined ? 1 : 0) | (ex.signature ? 2 : 0) | (cert ? 4 : 0));
    if (ex.address !== undefined) w.str(ex.address);
    if (ex.signature) {
      w.raw(ex.signature.publicKey);
      w.raw(ex.signature.signature);
      if (cert) w.raw(cert);
    }
  }

  private extrasFor(member: NodeId, incarnation: number, w: ByteWriter, metaStart: number): RecordExtras {
    const o = this.options;
    if (o.self === undefined && o.addressOf === undefined) return NO_EXTRAS;
    const cached = this.extras.get(member);
    if (cached && cached.incarnation === incarnation && w.matches(metaStart, cached.meta)) return cached.extras;
    if (member === o.self) {
      const meta = w.view(metaStart);
      const address = o.selfAddress?.();
      let signature: RecordSignature | undefined;
      if (o.signer) signature = o.signer.sign(member, incarnation, withAddress(meta, address));
      const extras: RecordExtras = { ...(address !== undefined ? { address } : {}), ...(signature ? { signature } : {}) };
      // Cache only once the address is known, so a record sealed before bind is redone after.
      if (address !== undefined) this.remember(member, { incarnation, meta: meta.slice(), extras });
      return extras;
    }
    const address = o.addressOf?.(member);
    return address !== undefined ? { address } : NO_EXTRAS;
  }

  private writeRecord(w: ByteWriter, r: MemberRecord): void {
    w.str(r.member);
    w.u8(STATUS_CODE[r.status]);
    w.uvar(r.incarnation);
    this.writeAliveBody(w, r.member, r.incarnation, r);
  }

  decode(bytes: Uint8Array): Decoded<SwimMessage> {
    try {
      return this.decodeOrThrow(bytes);
    } catch (e) {
      if (e instanceof CodecFault) return { ok: false, reason: e.reason, detail: e.message };
      return { ok: false, reason: 'malformed', detail: (e as Error).message };
    }
  }

  private decodeOrThrow(bytes: Uint8Array): Decoded<SwimMessage> {
    if (bytes.length === 0) return { ok: false, reason: 'empty' };
    const r = new ByteReader(bytes);
    if (r.u8('magic') !== CODEC_MAGIC) return { ok: false, reason: 'malformed', detail: 'not a SWIM packet (bad magic byte)' };
    const version = r.u8('version');
    if (version !== CODEC_VERSION) return { ok: false, reason: 'unknown-version', detail: `version ${version}, this node speaks ${CODEC_VERSION}` };
    const code = r.u8('kind');
    const kind = KINDS[code];
    if (kind === undefined) return { ok: false, reason: 'unknown-kind', detail: `kind ${code}` };
    const from = r.str('sender');
    let message: SwimMessage;
    switch (kind) {
      case 'ping':
      case 'ack':
      case 'nack': {
        const seq = r.uvar('seq');
        message = { kind, seq, updates: this.readUpdates(r, from) };
        break;
      }
      case 'pingReq': {
        const seq = r.uvar('seq');
        const target = r.str('target');
        message = { kind, seq, target, updates: this.readUpdates(r, from) };
        break;
      }
      case 'gossip':
        message = { kind, updates: this.readUpdates(r, from) };
        break;
      case 'join': {
        const self = this.readRecord(r, from);
        if (self === undefined) return { ok: false, reason: 'sig-bad', detail: 'joiner record refused' };
        message = { kind, self };
        break;
      }
      case 'sync':
      case 'syncReply': {
        const n = r.bounded('record count', MAX_SYNC_RECORDS);
        const members: MemberRecord[] = [];
        for (let i = 0; i < n; i++) {
          const rec = this.readRecord(r, from);
          if (rec) members.push(rec);
        }
        message = { kind, members };
        break;
      }
    }
    r.end();
    return { ok: true, from, message };
  }

  private readUpdates(r: ByteReader, from: NodeId): MemberUpdate[] {
    const n = r.u8('update count');
    const out: MemberUpdate[] = [];
    for (let i = 0; i < n; i++) {
      const code = r.u8('update kind');
      const kind = STATUSES[code];
      if (kind === undefined) throw new CodecFault('malformed', `update kind ${code}`);
      const member = r.str('update member');
      const incarnation = r.uvar('update incarnation');
      if (kind === 'alive') {
        const info = this.readAliveBody(r, member, incarnation, from);
        if (info) out.push({ kind, member, incarnation, info, health: this.health });
      } else if (kind === 'suspect' || kind === 'dead') out.push({ kind, member, incarnation, from: r.str('update from') });
      else out.push({ kind, member, incarnation });
    }
    return out;
  }

  private readRecord(r: ByteReader, from: NodeId): MemberRecord | undefined {
    const member = r.str('record member');
    const code = r.u8('record status');
    const status = STATUSES[code];
    if (status === undefined) throw new CodecFault('malformed', `record status ${code}`);
    const incarnation = r.uvar('record incarnation');
    const info = this.readAliveBody(r, member, incarnation, from);
    return info && { member, status, incarnation, info, health: this.health };
  }

  /** The health summary the last readAliveBody read (kept here so reading a record allocates no pair). */
  private health: HealthSummary = HEALTHS[0];

  /** Reads info | health | extras; returns the info (health in `this.health`), or undefined when the verifier refuses the record. */
  private readAliveBody(r: ByteReader, member: NodeId, incarnation: number, from: NodeId): MemberRecord['info'] | undefined {
    const start = r.pos;
    const info = readNodeInfo(r);
    if (info.id !== member) throw new CodecFault('malformed', `record for ${member} carries info of ${info.id}`);
    this.health = readHealth(r);
    const metaEnd = r.pos;
    const flags = r.u8('extras flags');
    if (flags > 7 || flags === 4 || flags === 5) throw new CodecFault('malformed', `extras flags: unknown bits or a certificate without a signature ${flags.toString(2)}`);
    const address = flags & 1 ? r.str('gossip address') : undefined;
    let signature: RecordSignature | undefined;
    if (flags & 2) {
      const publicKey = r.raw(ED25519_PUBLIC_KEY_BYTES, 'public key').slice();
      const sig = r.raw(ED25519_SIGNATURE_BYTES, 'signature').slice();
      signature = flags & 4 ? { publicKey, signature: sig, certificate: r.raw(CERTIFICATE_BYTES, 'certificate').slice() } : { publicKey, signature: sig };
    }
    const o = this.options;
    const keep = member !== o.self && (address !== undefined || signature !== undefined);
    if (!o.verifier && !keep) return info;
    if (!o.verifier && signature === undefined) {
      // The same record heard again (gossip repeats each one several times): nothing to re-learn.
      const cached = this.extras.get(member);
      if (cached && cached.incarnation === incarnation && cached.extras.signature === undefined && cached.extras.address === address && r.matches(start, metaEnd, cached.meta)) return info;
    }
    const meta = r.slice(start, metaEnd);
    if (o.verifier) {
      const outcome = o.verifier.verify(member, incarnation, withAddress(meta, address), signature);
      if (outcome !== 'ok') {
        o.onRejectedRecord?.(outcome, member);
        return undefined;
      }
    }
    if (keep) {
      // Relays forward what the member sealed, intact. Kept only for the newest incarnation heard.
      const cached = this.extras.get(member);
      if (!cached || cached.incarnation <= incarnation) this.remember(member, { incarnation, meta, extras: { ...(address !== undefined ? { address } : {}), ...(signature ? { signature } : {}) } });
    }
    if (address !== undefined && member !== o.self) o.learnAddress?.(member, address);
    void from;
    return info;
  }
}

function withAddress(meta: Uint8Array, address: string | undefined): Uint8Array {
  if (address === undefined) return meta;
  const a = new TextEncoder().encode(address);
  const out = new Uint8Array(meta.length + 1 + a.length);
  out.set(meta);
  out[meta.length] = 0;
  out.set(a, meta.length + 1);
  return out;
}
