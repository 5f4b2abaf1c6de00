/**
 * Signed self-records (optional): a node holding an Ed25519 key signs its own alive record
 * (id, incarnation, metadata). Relays forward the signature untouched, and receivers verify it, so no
 * other member — not even one holding the cluster's HMAC key — can forge or alter a node's NodeInfo.
 * This is the job Inferno's update `signature` field was meant to do.
 *
 * Which key speaks for an id: a trust store (id → public key) when one is configured, otherwise the
 * first key seen for that id is pinned (trust on first use) and later records must match it.
 * Verification costs ~50 µs, so verified (id, incarnation, record digest) triples are cached: the
 * same record relayed by many members is checked once.
 */
import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NodeId } from '../../spec/node.js';
import { AliceError } from '../../spec/errors.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
const DOMAIN = Buffer.from('alice/swim/self-record/v1\0', 'utf8');

export class SigningError extends AliceError {
  constructor(message: string) {
    super('SIGNING', message);
  }
}

/** What a signed alive record carries besides the record itself. */
export interface RecordSignature {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export type VerifyOutcome = 'ok' | 'sig-missing' | 'sig-bad' | 'sig-key-mismatch';

/** The exact bytes signed: a domain tag, then id, incarnation and the record's encoded metadata. */
export function signedBytes(id: NodeId, incarnation: number, metadata: Uint8Array): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const head = Buffer.allocUnsafe(2 + idBytes.length + 8);
  head.writeUInt16BE(idBytes.length, 0);
  idBytes.copy(head, 2);
  head.writeDoubleBE(incarnation, 2 + idBytes.length);
  return Buffer.concat([DOMAIN, head, metadata]);
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new SigningError('not an Ed25519 key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export class RecordSigner {
  readonly publicKey: Uint8Array;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningError(`signing key is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}; use an Ed25519 key (openssl genpkey -algorithm ed25519)`);
    this.publicKey = rawPublicKey(createPublicKey(privateKey));
  }

  static generate(): RecordSigner {
    return new RecordSigner(generateKeyPairSync('ed25519').privateKey);
  }

  /** Reads a PEM private key (`openssl genpkey -algorithm ed25519 -out node.pem`). */
  static fromPemFile(path: string): RecordSigner {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (e) {
      throw new SigningError(`cannot read signing key ${path}: ${(e as Error).message}`);
    }
    try {
      return new RecordSigner(createPrivateKey(pem));
    } catch (e) {
      if (e instanceof SigningError) throw e;
      throw new SigningError(`signing key ${path} is not a PEM private key: ${(e as Error).message}`);
    }
  }

  sign(id: NodeId, incarnation: number, metadata: Uint8Array): RecordSignature {
    return { publicKey: this.publicKey, signature: new Uint8Array(sign(null, signedBytes(id, incarnation, metadata), this.privateKey)) };
  }
}

export interface VerifierOptions {
  /** id → raw public key. When set, only these keys are accepted for those ids. Default: none. */
  readonly trusted?: Readonly<Record<NodeId, Uint8Array>>;
  /** Records of ids outside the trust store must be signed too. Default true: unsigned means refused. */
  readonly requireSignatures?: boolean;
  /** Verified records remembered; at this many the cache is cleared (bounded memory). Default 8192. */
  readonly cacheLimit?: number;
}

export class RecordVerifier {
  private readonly pinned = new Map<NodeId, string>();
  private readonly verified = new Set<string>();
  private readonly requireSignatures: boolean;
  private readonly cacheLimit: number;
  /** Signature checks actually run (cache misses), for the benchmark and tests. */
  checks = 0;

  constructor(options: VerifierOptions = {}) {
    for (const [id, key] of Object.entries(options.trusted ?? {})) this.pinned.set(id, Buffer.from(key).toString('hex'));
    this.requireSignatures = options.requireSignatures ?? true;
    this.cacheLimit = options.cacheLimit ?? 8192;
  }

  verify(id: NodeId, incarnation: number, metadata: Uint8Array, sig: RecordSignature | undefined): VerifyOutcome {
    if (sig === undefined) return this.requireSignatures || this.pinned.has(id) ? 'sig-missing' : 'ok';
    const keyHex = Buffer.from(sig.publicKey).toString('hex');
    const pin = this.pinned.get(id);
    if (pin !== undefined && pin !== keyHex) return 'sig-key-mismatch';
    const digest = createHash('sha256').update(metadata).update(sig.signature).digest('hex');
    const cacheKey = `${id}\0${incarnation}\0${keyHex}\0${digest}`;
    if (this.verified.has(cacheKey)) return 'ok';
    if (sig.publicKey.length !== ED25519_PUBLIC_KEY_BYTES || sig.signature.length !== ED25519_SIGNATURE_BYTES) return 'sig-bad';
    this.checks++;
    let good: boolean;
    try {
      good = verify(null, signedBytes(id, incarnation, metadata), publicKeyFromRaw(sig.publicKey), sig.signature);
    } catch {
      good = false;
    }
    if (!good) return 'sig-bad';
    if (pin === undefined) this.pinned.set(id, keyHex);
    if (this.verified.size >= this.cacheLimit) this.verified.clear();
    this.verified.add(cacheKey);
    return 'ok';
  }
}
