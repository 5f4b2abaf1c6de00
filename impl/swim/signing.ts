/**
 * Signed self-records (optional): a node holding an Ed25519 key signs its own alive record
 * (id, incarnation, metadata). Relays forward the signature untouched, and receivers verify it, so no
 * other member — not even one holding the cluster's HMAC key — can forge or alter a node's NodeInfo.
 * This is the job Inferno's update `signature` field was meant to do.
 *
 * Which key speaks for an id is the operator's decision, never the network's: a trust anchor says it,
 * either a trusted-keys list (id → public key) or a cluster authority key that certifies each node's
 * key (a certificate: the authority's signature over the id and the node's public key, carried with
 * the node's records and relayed with them). A record whose key the anchor does not vouch for is
 * refused (`sig-uncertified`) and nothing about it is remembered. (An earlier version pinned the
 * first key heard for an id, trust on first use, so any member holding the cluster's packet key could
 * claim an id nobody had heard yet and lock its real owner out.)
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
const CERT_DOMAIN = Buffer.from('alice/swim/node-key/v1\0', 'utf8');
export const CERTIFICATE_BYTES = ED25519_SIGNATURE_BYTES;

export class SigningError extends AliceError {
  constructor(message: string) {
    super('SIGNING', message);
  }
}

/** What a signed alive record carries besides the record itself. */
export interface RecordSignature {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
  /** The cluster authority's certificate of (id, publicKey), when the node holds one. */
  readonly certificate?: Uint8Array;
}

export type VerifyOutcome = 'ok' | 'sig-missing' | 'sig-bad' | 'sig-key-mismatch' | 'sig-uncertified';

/** The bytes a cluster authority signs to certify that `publicKey` speaks for `id`. */
function certifiedBytes(id: NodeId, publicKey: Uint8Array): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const len = Buffer.allocUnsafe(2);
  len.writeUInt16BE(idBytes.length, 0);
  return Buffer.concat([CERT_DOMAIN, len, idBytes, publicKey]);
}

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

function readPrivateKey(path: string, what: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SigningError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new SigningError(`${what} ${path} is not a PEM private key: ${(e as Error).message}`);
  }
}

function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

function checkEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningError(`${what} is ${key.asymmetricKeyType ?? 'not asymmetric'}; use an Ed25519 key (openssl genpkey -algorithm ed25519)`);
}

export class RecordSigner {
  readonly publicKey: Uint8Array;

  /** `certificate`: the cluster authority's certificate of this key (ClusterAuthority.certify), sent with every record. */
  constructor(
    private readonly privateKey: KeyObject,
    readonly certificate?: Uint8Array,
  ) {
    checkEd25519(privateKey, 'signing key');
    this.publicKey = rawPublicKey(createPublicKey(privateKey));
    if (certificate !== undefined && certificate.length !== CERTIFICATE_BYTES) throw new SigningError(`a node certificate is ${CERTIFICATE_BYTES} bytes, got ${certificate.length}`);
  }

  static generate(certificate?: Uint8Array): RecordSigner {
    return new RecordSigner(generateKeyPairSync('ed25519').privateKey, certificate);
  }

  /** Reads a PEM private key (`openssl genpkey -algorithm ed25519 -out node.pem`). */
  static fromPemFile(path: string, certificate?: Uint8Array): RecordSigner {
    return new RecordSigner(readPrivateKey(path, 'signing key'), certificate);
  }

  /** The same key with a certificate attached. */
  withCertificate(certificate: Uint8Array): RecordSigner {
    return new RecordSigner(this.privateKey, certificate);
  }

  sign(id: NodeId, incarnation: number, metadata: Uint8Array): RecordSignature {
    const signature = new Uint8Array(sign(null, signedBytes(id, incarnation, metadata), this.privateKey));
    return { publicKey: this.publicKey, signature, ...(this.certificate ? { certificate: this.certificate } : {}) };
  }
}

/** The cluster's signing authority: the operator's key that certifies which node key speaks for which id. */
export class ClusterAuthority {
  readonly publicKey: Uint8Array;

  constructor(private readonly privateKey: KeyObject) {
    checkEd25519(privateKey, 'cluster authority key');
    this.publicKey = rawPublicKey(createPublicKey(privateKey));
  }

  static generate(): ClusterAuthority {
    return new ClusterAuthority(generateKeyPairSync('ed25519').privateKey);
  }

  static fromPemFile(path: string): ClusterAuthority {
    return new ClusterAuthority(readPrivateKey(path, 'cluster authority key'));
  }

  /** A certificate that `publicKey` speaks for `id`: 64 bytes, given to that node with its key. */
  certify(id: NodeId, publicKey: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, certifiedBytes(id, publicKey), this.privateKey));
  }
}

export interface VerifierOptions {
  /** id → raw public key: these keys, and only these, speak for those ids. */
  readonly trusted?: Readonly<Record<NodeId, Uint8Array>>;
  /** The cluster authority's raw public key: a key certified by it for an id speaks for that id. */
  readonly authority?: Uint8Array;
  /** Records of ids outside the trust store must be signed too. Default true: unsigned means refused. */
  readonly requireSignatures?: boolean;
  /** Verified records remembered; at this many the cache is cleared (bounded memory). Default 8192. */
  readonly cacheLimit?: number;
}

export class RecordVerifier {
  /** The trusted-keys list; fixed at construction, never grown from what the network says. */
  private readonly trusted = new Map<NodeId, string>();
  private readonly authority: KeyObject | undefined;
  private readonly verified = new Set<string>();
  private readonly requireSignatures: boolean;
  private readonly cacheLimit: number;
  /** Signature checks actually run (cache misses), for the benchmark and tests. */
  checks = 0;

  /** Throws SigningError without a trust anchor: with none, no key could be told from a forger's. */
  constructor(options: VerifierOptions) {
    for (const [id, key] of Object.entries(options.trusted ?? {})) this.trusted.set(id, Buffer.from(key).toString('hex'));
    if (options.authority !== undefined) {
      if (options.authority.length !== ED25519_PUBLIC_KEY_BYTES) throw new SigningError(`the cluster authority key must be a ${ED25519_PUBLIC_KEY_BYTES}-byte Ed25519 public key, got ${options.authority.length} bytes`);
      this.authority = publicKeyFromRaw(options.authority);
    }
    if (this.trusted.size === 0 && this.authority === undefined)
      throw new SigningError('signed records need a trust anchor: a trusted-keys list (id → public key) or a cluster authority key that certifies node keys');
    this.requireSignatures = options.requireSignatures ?? true;
    this.cacheLimit = options.cacheLimit ?? 8192;
  }

  /** Whether the anchor vouches for `sig.publicKey` speaking for `id`. */
  private vouched(id: NodeId, keyHex: string, sig: RecordSignature): VerifyOutcome {
    const listed = this.trusted.get(id);
    if (listed !== undefined) return listed === keyHex ? 'ok' : 'sig-key-mismatch';
    if (this.authority === undefined || sig.certificate === undefined || sig.publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return 'sig-uncertified';
    const cacheKey = `cert\0${id}\0${keyHex}\0${Buffer.from(sig.certificate).toString('hex')}`;
    if (this.verified.has(cacheKey)) return 'ok';
    this.checks++;
    let good: boolean;
    try {
      good = verify(null, certifiedBytes(id, sig.publicKey), this.authority, sig.certificate);
    } catch {
      good = false;
    }
    if (!good) return 'sig-uncertified';
    this.remember(cacheKey);
    return 'ok';
  }

  private remember(cacheKey: string): void {
    if (this.verified.size >= this.cacheLimit) this.verified.clear();
    this.verified.add(cacheKey);
  }

  verify(id: NodeId, incarnation: number, metadata: Uint8Array, sig: RecordSignature | undefined): VerifyOutcome {
    if (sig === undefined) return this.requireSignatures || this.trusted.has(id) ? 'sig-missing' : 'ok';
    const keyHex = Buffer.from(sig.publicKey).toString('hex');
    const vouched = this.vouched(id, keyHex, sig);
    if (vouched !== 'ok') return vouched;
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
    this.remember(cacheKey);
    return 'ok';
  }
}
