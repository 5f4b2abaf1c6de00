/**
 * Byte-level reading and writing for the binary codec: unsigned LEB128 varints, length-prefixed UTF-8
 * strings, and bounds checks on every read. A read past the end or a value out of range raises a
 * CodecFault carrying the drop reason; the codec's decode() catches it and returns the reason, so
 * no fault ever leaves the codec.
 */
import type { DropReason } from './wire.js';

export class CodecFault extends Error {
  constructor(
    readonly reason: DropReason,
    detail: string,
  ) {
    super(detail);
  }
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Slab for packets: hundreds of datagrams per allocation. */
const SLAB_BYTES = 64 * 1024;

/**
 * The slab every shared writer writes into. Encoding is synchronous and one packet is finished before
 * the next begins, so all codecs in a process (a loopback cluster runs a hundred) can take turns on
 * one slab instead of each holding its own.
 */
const sharedSlab = { buf: Buffer.allocUnsafeSlow(SLAB_BYTES), at: 0 };

/**
 * Writes packets one after another into a slab and hands each out as a view of it: no copy, and a
 * packet handed out is never written again (the next one starts after it; a packet that outgrows the
 * slab moves to a fresh one), so callers may keep the bytes. Positions (length, truncate, view) are
 * relative to the packet being written. Without a size, the writer uses the process's shared slab
 * and every packet must start with begin(); with one, it has a slab of its own.
 */
export class ByteWriter {
  private buf: Buffer;
  /** Where the packet being written starts in `buf`. */
  private start = 0;
  /** Where the next byte goes in `buf`. */
  private at = 0;
  private readonly shared: boolean;
  private readonly slabBytes: number;

  constructor(slabBytes?: number) {
    this.shared = slabBytes === undefined;
    this.slabBytes = slabBytes ?? SLAB_BYTES;
    this.buf = this.shared ? sharedSlab.buf : Buffer.allocUnsafeSlow(this.slabBytes);
    if (this.shared) this.start = this.at = sharedSlab.at;
  }

  /** Starts a new packet (a shared writer picks up where the last packet written by anyone ended). */
  begin(): void {
    if (this.shared) {
      this.buf = sharedSlab.buf;
      this.start = sharedSlab.at;
    }
    this.at = this.start;
  }

  get length(): number {
    return this.at - this.start;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    // The packet so far moves to the start of a fresh slab; the old one lives on in the views already handed out.
    const used = this.at - this.start;
    let cap = this.slabBytes;
    while (cap < 2 * (used + n)) cap *= 2;
    const next = Buffer.allocUnsafeSlow(cap);
    this.buf.copy(next, 0, this.start, this.at);
    this.buf = next;
    this.start = 0;
    this.at = used;
    if (this.shared) {
      sharedSlab.buf = next;
      sharedSlab.at = 0;
    }
  }

  u8(v: number): void {
    if (this.at >= this.buf.length) this.room(1);
    this.buf[this.at++] = v & 0xff;
  }

  /** Unsigned varint for integers up to 2^53 - 1 (incarnations, ports, millisecond times). */
  uvar(v: number): void {
    if (this.at + 8 > this.buf.length) this.room(8);
    const buf = this.buf;
    let at = this.at;
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) {
      while (v >= 0x80) {
        buf[at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[at++] = v;
      this.at = at;
      return;
    }
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint out of range: ${v}`);
    // Above 2^31 (millisecond times): the low 28 bits as four groups, the rest (< 2^25) by shifts.
    const low = v % 0x10000000;
    let high = (v - low) / 0x10000000;
    buf[at++] = (low & 0x7f) | 0x80;
    buf[at++] = ((low >>> 7) & 0x7f) | 0x80;
    buf[at++] = ((low >>> 14) & 0x7f) | 0x80;
    buf[at++] = ((low >>> 21) & 0x7f) | 0x80;
    while (high >= 0x80) {
      buf[at++] = (high & 0x7f) | 0x80;
      high >>>= 7;
    }
    buf[at++] = high;
    this.at = at;
  }

  bytes(b: Uint8Array): void {
    this.uvar(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  str(s: string): void {
    // ASCII fast path (ids and addresses almost always are): one pass that writes and checks.
    const n = s.length;
    if (n < 128) {
      if (this.at + 1 + n > this.buf.length) this.room(1 + n);
      const buf = this.buf;
      let at = this.at;
      buf[at++] = n;
      let high = 0;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        high |= c;
        buf[at++] = c;
      }
      if (high < 0x80) {
        this.at = at;
        return;
      }
    }
    this.bytes(utf8.encode(s));
  }

  /** Rewinds to an earlier length (to take back something that did not fit). */
  truncate(length: number): void {
    this.at = this.start + length;
  }

  /** The bytes written in [start, end) of this packet, without copying; valid until the next write. */
  view(start: number, end = this.length): Uint8Array {
    return this.buf.subarray(this.start + start, this.start + end);
  }

  /** Whether the bytes written from `start` to the end are `bytes` (compared in place, no view made). */
  matches(start: number, bytes: Uint8Array): boolean {
    const from = this.start + start;
    if (this.at - from !== bytes.length) return false;
    const buf = this.buf;
    for (let i = 0; i < bytes.length; i++) if (buf[from + i] !== bytes[i]) return false;
    return true;
  }

  /**
   * The packet written, as a view that stays valid: the next packet starts after it. A Buffer, so
   * node:dgram sends it without wrapping it again.
   */
  finish(): Buffer {
    const out = this.buf.subarray(this.start, this.at);
    this.start = this.at;
    if (this.shared) sharedSlab.at = this.at;
    return out;
  }
}

/**
 * Decoded short strings (ids, addresses: the same few thousand recur in every packet), by a hash of
 * their bytes: a hit returns the string already made, with no allocation and no call into the
 * runtime, and equal ids decode to one string object, which keeps comparisons of ids cheap. A slot
 * holds the last string that hashed to it; a miss just replaces it.
 */
const STRING_CACHE_SLOTS = 4096;
const MAX_CACHED_STRING = 48;
const stringCache: (string | undefined)[] = new Array<string | undefined>(STRING_CACHE_SLOTS).fill(undefined);

/** ASCII bytes as text: latin1 of ASCII is the same text, made flat in one native call. */
function latin1(buf: Uint8Array, start: number, n: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, n).toString('latin1');
}

/** Each slot's string as bytes too: comparing bytes with bytes is cheaper than with a string's characters. */
const cacheKeys = new Uint8Array(STRING_CACHE_SLOTS * MAX_CACHED_STRING);

/** The cached string for the ASCII bytes [start, start + n) whose hash is `h`, made and cached on a miss. */
function asciiString(buf: Uint8Array, start: number, n: number, h: number): string {
  const slot = h & (STRING_CACHE_SLOTS - 1);
  const hit = stringCache[slot];
  const key = slot * MAX_CACHED_STRING;
  if (hit !== undefined && hit.length === n) {
    let i = 0;
    while (i < n && cacheKeys[key + i] === buf[start + i]) i++;
    if (i === n) return hit;
  }
  const text = latin1(buf, start, n);
  stringCache[slot] = text;
  cacheKeys.set(buf.subarray(start, start + n), key);
  return text;
}

export class ByteReader {
  pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new CodecFault('truncated', `${what}: needs ${n} byte(s) at offset ${this.pos}, packet has ${this.buf.length}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  uvar(what: string): number {
    if (this.pos < this.buf.length && this.buf[this.pos] < 0x80) return this.buf[this.pos++];
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8(what);
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new CodecFault('malformed', `${what}: varint too long or out of range at offset ${this.pos}`);
  }

  /** A varint that must not exceed `max` (counts, lengths). */
  bounded(what: string, max: number): number {
    const v = this.uvar(what);
    if (v > max) throw new CodecFault('malformed', `${what}: ${v} exceeds ${max}`);
    return v;
  }

  raw(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length prefix of at most `max`; the label of a fault is made only when there is one. */
  private length(what: string, max: number): number {
    const v = this.pos < this.buf.length && this.buf[this.pos] < 0x80 ? this.buf[this.pos++] : this.uvar(`${what} length`);
    if (v > max) throw new CodecFault('malformed', `${what} length: ${v} exceeds ${max}`);
    return v;
  }

  bytes(what: string, max: number): Uint8Array {
    return this.raw(this.length(what, max), what);
  }

  str(what: string, max = 255): string {
    const buf = this.buf;
    const n = this.length(what, max);
    const start = this.pos;
    const end = start + n;
    if (end > buf.length) this.need(n, what);
    this.pos = end;
    // ASCII fast path (ids, addresses): one pass checks the top bits and hashes for the string cache;
    // latin1 of ASCII bytes is the same text, without the UTF-8 checks.
    let high = 0;
    let h = 0x811c9dc5 ^ n;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      high |= b;
      h = Math.imul(h ^ b, 0x01000193);
    }
    if (high < 0x80) return n <= MAX_CACHED_STRING ? asciiString(buf, start, n, h >>> 0) : latin1(buf, start, n);
    try {
      return utf8Strict.decode(buf.subarray(start, end));
    } catch {
      throw new CodecFault('malformed', `${what}: not valid UTF-8`);
    }
  }

  /** Whether bytes [start, end) already read are `bytes` (compared in place, no copy made). */
  matches(start: number, end: number, bytes: Uint8Array): boolean {
    if (end - start !== bytes.length) return false;
    const buf = this.buf;
    for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) return false;
    return true;
  }

  /** A copy of bytes [start, end) already read (e.g. the signed part of a record). */
  slice(start: number, end: number): Uint8Array {
    return this.buf.slice(start, end);
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new CodecFault('trailing-bytes', `${this.buf.length - this.pos} unread byte(s) after the message`);
  }
}
