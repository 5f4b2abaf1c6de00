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

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  /** Unsigned varint for integers up to 2^53 - 1 (incarnations, ports, millisecond times). */
  uvar(v: number): void {
    if (v >= 0 && v < 0x80 && (v | 0) === v) {
      this.room(1);
      this.buf[this.length++] = v;
      return;
    }
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint out of range: ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytes(b: Uint8Array): void {
    this.uvar(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  str(s: string): void {
    // ASCII fast path (ids and addresses almost always are): one pass that writes and checks.
    if (s.length < 128) {
      this.room(1 + s.length);
      const buf = this.buf;
      let at = this.length;
      buf[at++] = s.length;
      let high = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        high |= c;
        buf[at++] = c;
      }
      if (high < 0x80) {
        this.length = at;
        return;
      }
    }
    this.bytes(utf8.encode(s));
  }

  /** Rewinds to an earlier length (to take back something that did not fit). */
  truncate(length: number): void {
    this.length = length;
  }

  /** The bytes written in [start, end), without copying; valid until the next write. */
  view(start: number, end = this.length): Uint8Array {
    return this.buf.subarray(start, end);
  }

  /**
   * A copy of what was written. Buffer.allocUnsafe draws small copies from Node's pool: measured
   * cheaper than a slice, a fresh Uint8Array, or views cut from a larger slab of our own.
   */
  finish(): Uint8Array {
    const out = Buffer.allocUnsafe(this.length);
    out.set(this.buf.subarray(0, this.length));
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

function asciiString(buf: Uint8Array, start: number, n: number): string {
  let h = 0x811c9dc5 ^ n;
  for (let i = start; i < start + n; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  const slot = (h >>> 0) & (STRING_CACHE_SLOTS - 1);
  const hit = stringCache[slot];
  if (hit !== undefined && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (hit.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  let text = '';
  for (let i = start; i < start + n; i++) text += String.fromCharCode(buf[i]);
  stringCache[slot] = text;
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
    const n = this.length(what, max);
    this.need(n, what);
    const start = this.pos;
    this.pos += n;
    // ASCII fast path (ids, addresses): latin1 of ASCII bytes is the same text, without the UTF-8 checks.
    let high = 0;
    for (let i = start; i < start + n; i++) high |= this.buf[i];
    if (high < 0x80) return n <= MAX_CACHED_STRING ? asciiString(this.buf, start, n) : Buffer.from(this.buf.buffer, this.buf.byteOffset + start, n).toString('latin1');
    const b = this.buf.subarray(start, start + n);
    try {
      return utf8Strict.decode(b);
    } catch {
      throw new CodecFault('malformed', `${what}: not valid UTF-8`);
    }
  }

  /** A copy of bytes [start, end) already read (e.g. the signed part of a record). */
  slice(start: number, end: number): Uint8Array {
    return this.buf.slice(start, end);
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new CodecFault('trailing-bytes', `${this.buf.length - this.pos} unread byte(s) after the message`);
  }
}
