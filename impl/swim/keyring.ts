/**
 * Packet authentication with HMAC-SHA256 and a keyring: one primary key signs outgoing packets,
 * every key in the ring is accepted on receipt, so a cluster rotates keys without downtime
 * (add the new key everywhere, make it primary everywhere, then remove the old one).
 *
 * Frame: [0xA5][key id: 4 bytes][tag: 16 bytes][sender instance: 8][sealed at: 6, ms][seq: 4][payload].
 * The key id (first 4 bytes of SHA-256 of the key) lets a receiver pick the key in one lookup instead
 * of trying each; the tag is HMAC-SHA256 of everything after it truncated to 128 bits, which keeps
 * forgery at 2^-128 while saving 16 bytes a datagram. Instance, time and sequence make every frame
 * unique, so a receiver refuses copies (replay-guard.ts, counted as `auth-replay`).
 *
 * Key file format (UTF-8 text): one key per line, base64 (or hex with a `hex:` prefix), 16 to 64 bytes
 * decoded; blank lines and lines starting with `#` are ignored; the FIRST key is the primary.
 *
 *   # alice cluster keys — primary first
 *   q8jVd5v0m2y8Jw7hJc1v9k4O1C6m7d9pL2s3Q0r5T1w=
 *   hex:00112233445566778899aabbccddeeff
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AliceError } from '../../spec/errors.js';
import { ReplayGuard, type ReplayGuardOptions } from './replay-guard.js';

export const AUTH_MAGIC = 0xa5;
export const AUTH_TAG_BYTES = 16;
const HEAD = 1 + 4 + AUTH_TAG_BYTES;
const NONCE_BYTES = 8 + 6 + 4;
export const AUTH_OVERHEAD = HEAD + NONCE_BYTES;
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 64;

export class KeyringError extends AliceError {
  constructor(message: string) {
    super('KEYRING', message);
  }
}

/** Why an authenticated frame was refused; counted by the metrics, never thrown at the socket. */
export type AuthDropReason = 'auth-missing' | 'auth-unknown-key' | 'auth-bad-tag' | 'auth-replay';

export interface KeyringOptions extends ReplayGuardOptions {
  /** The clock frames are stamped and judged with, ms since the epoch. Default Date.now. */
  readonly now?: () => number;
  /** Alias of ReplayGuardOptions.windowMs. */
  readonly replayWindowMs?: number;
}

export type OpenResult = { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly reason: AuthDropReason };

function keyId(key: Uint8Array): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}

export class Keyring {
  private readonly keys: Map<number, Buffer>;
  private readonly primaryKey: Buffer;
  private readonly primaryId: number;
  private readonly now: () => number;
  private readonly guard: ReplayGuard;
  private instance = randomBytes(8);
  private seq = 0;

  /** `keys[0]` is the primary. Throws KeyringError on an empty ring or a key of the wrong size. */
  constructor(keys: readonly Uint8Array[], options: KeyringOptions = {}) {
    this.now = options.now ?? Date.now;
    const windowMs = options.replayWindowMs ?? options.windowMs;
    this.guard = new ReplayGuard({ ...(windowMs !== undefined ? { windowMs } : {}), ...(options.maxSenders !== undefined ? { maxSenders: options.maxSenders } : {}) });
    if (keys.length === 0) throw new KeyringError('a keyring needs at least one key; the first one is used for sending');
    this.keys = new Map();
    keys.forEach((k, i) => {
      if (k.length < MIN_KEY_BYTES || k.length > MAX_KEY_BYTES)
        throw new KeyringError(`key ${i + 1} is ${k.length} bytes; use ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`);
      this.keys.set(keyId(k), Buffer.from(k));
    });
    this.primaryKey = Buffer.from(keys[0]);
    this.primaryId = keyId(keys[0]);
  }

  get size(): number {
    return this.keys.size;
  }

  /** Sender instances the replay guard remembers (bounded by maxSenders). */
  get trackedSenders(): number {
    return this.guard.size;
  }

  /** Prefixes the payload with the frame header (instance, time, sequence) and the primary key's tag. */
  seal(payload: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(AUTH_OVERHEAD + payload.length);
    out[0] = AUTH_MAGIC;
    out.writeUInt32BE(this.primaryId, 1);
    // A new instance before the sequence wraps, so no (instance, seq) pair is ever sealed twice.
    if (this.seq > 0xffffffff) {
      this.instance = randomBytes(8);
      this.seq = 0;
    }
    this.instance.copy(out, HEAD);
    out.writeUIntBE(Math.max(0, Math.floor(this.now())), HEAD + 8, 6);
    out.writeUInt32BE(this.seq++, HEAD + 14);
    out.set(payload, AUTH_OVERHEAD);
    createHmac('sha256', this.primaryKey).update(out.subarray(HEAD)).digest().copy(out, 5, 0, AUTH_TAG_BYTES);
    return out;
  }

  /**
   * Checks a sealed frame's tag against the key it names, then that it is fresh (not a copy, sealed
   * within the window); returns the payload or why it was refused. The tag is checked first, so only
   * frames made with a cluster key reach (and take room in) the replay guard.
   */
  open(frame: Uint8Array): OpenResult {
    if (frame.length < AUTH_OVERHEAD || frame[0] !== AUTH_MAGIC) return { ok: false, reason: 'auth-missing' };
    const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.length);
    const key = this.keys.get(buf.readUInt32BE(1));
    if (key === undefined) return { ok: false, reason: 'auth-unknown-key' };
    const expected = createHmac('sha256', key).update(buf.subarray(HEAD)).digest().subarray(0, AUTH_TAG_BYTES);
    if (!timingSafeEqual(expected, buf.subarray(5, HEAD))) return { ok: false, reason: 'auth-bad-tag' };
    const sender = buf.toString('hex', HEAD, HEAD + 8);
    if (!this.guard.accept(sender, buf.readUInt32BE(HEAD + 14), buf.readUIntBE(HEAD + 8, 6), this.now())) return { ok: false, reason: 'auth-replay' };
    return { ok: true, payload: buf.subarray(AUTH_OVERHEAD) };
  }
}

/** Parses the key file format above; `source` names the file in error messages. */
export function parseKeyFile(text: string, source = 'key file'): Keyring {
  const keys: Uint8Array[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let key: Buffer;
    if (line.startsWith('hex:')) {
      const hex = line.slice(4);
      if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new KeyringError(`${source} line ${i + 1}: 'hex:' must be followed by an even number of hex digits`);
      key = Buffer.from(hex, 'hex');
    } else {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw new KeyringError(`${source} line ${i + 1}: not base64; write one base64 key per line (or hex:<digits>)`);
      key = Buffer.from(line, 'base64');
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES)
      throw new KeyringError(`${source} line ${i + 1}: key is ${key.length} bytes; use ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes (e.g. \`openssl rand -base64 32\`)`);
    keys.push(key);
  });
  if (keys.length === 0) throw new KeyringError(`${source} holds no key; put one base64 key per line, primary first`);
  return new Keyring(keys);
}

export function loadKeyFile(path: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyringError(`cannot read key file ${path}: ${(e as Error).message}`);
  }
  return parseKeyFile(text, path);
}
