/**
 * The operator's trust anchor for signed records (signing.ts), read from files:
 *
 *   trusted-keys file   one `<id> <base64 Ed25519 public key, 32 bytes raw>` a line; `#` comments.
 *                       The raw key of a PEM private key: `alice certify --print-key --key n1.pem`,
 *                       or `openssl pkey -in n1.pem -pubout -outform DER | tail -c 32 | base64`.
 *   cluster key         the authority's public key: base64 of the 32 raw bytes, or a PEM public key.
 *   node certificate    base64 of the 64-byte certificate `alice certify` prints for one node.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NodeId } from '../../spec/node.js';
import { CERTIFICATE_BYTES, ED25519_PUBLIC_KEY_BYTES, SigningError } from './signing.js';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SigningError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function base64Bytes(text: string, bytes: number, where: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new SigningError(`${where}: not base64`);
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== bytes) throw new SigningError(`${where}: ${raw.length} bytes, expected ${bytes}`);
  return new Uint8Array(raw);
}

/** Parses a trusted-keys file; `source` names it in error messages. */
export function parseTrustedKeys(text: string, source = 'trusted-keys file'): Record<NodeId, Uint8Array> {
  const out: Record<NodeId, Uint8Array> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) throw new SigningError(`${source} line ${i + 1}: write '<id> <base64 public key>'`);
    const [id, key] = parts;
    if (id in out) throw new SigningError(`${source} line ${i + 1}: ${id} is listed twice`);
    out[id] = base64Bytes(key, ED25519_PUBLIC_KEY_BYTES, `${source} line ${i + 1}`);
  });
  if (Object.keys(out).length === 0) throw new SigningError(`${source} lists no key; write one '<id> <base64 public key>' a line`);
  return out;
}

export function loadTrustedKeys(path: string): Record<NodeId, Uint8Array> {
  return parseTrustedKeys(readText(path, 'trusted-keys file'), path);
}

/** Reads the cluster authority's public key: base64 raw bytes or a PEM public key. */
export function loadClusterKey(path: string): Uint8Array {
  const text = readText(path, 'cluster key').trim();
  if (!text.startsWith('-----')) return base64Bytes(text, ED25519_PUBLIC_KEY_BYTES, `cluster key ${path}`);
  try {
    const jwk = createPublicKey(text).export({ format: 'jwk' });
    if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
    return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
  } catch (e) {
    throw new SigningError(`cluster key ${path} is not an Ed25519 public key: ${(e as Error).message}`);
  }
}

export function loadCertificate(path: string): Uint8Array {
  return base64Bytes(readText(path, 'node certificate').trim(), CERTIFICATE_BYTES, `node certificate ${path}`);
}
