/** Packet authentication: what a keyring accepts, refuses, and how keys rotate without downtime. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyringError, parseKeyFile } from '../../impl/swim/keyring.js';

const payload = new Uint8Array([1, 2, 3, 4, 5]);
const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('keyring', () => {
  it('opens what it sealed and returns the payload unchanged', () => {
    const ring = new Keyring([k1]);
    const r = ring.open(ring.seal(payload));
    expect(r).toEqual({ ok: true, payload: expect.anything() });
    if (r.ok) expect([...r.payload]).toEqual([...payload]);
  });

  it('refuses a frame whose payload was altered after sealing', () => {
    const ring = new Keyring([k1]);
    const frame = ring.seal(payload);
    frame[frame.length - 1] ^= 1;
    expect(ring.open(frame)).toEqual({ ok: false, reason: 'auth-bad-tag' });
  });

  it('refuses a frame sealed with a key it does not hold', () => {
    expect(new Keyring([k1]).open(new Keyring([k2]).seal(payload))).toEqual({ ok: false, reason: 'auth-unknown-key' });
  });

  it('refuses an unsealed packet', () => {
    expect(new Keyring([k1]).open(payload)).toEqual({ ok: false, reason: 'auth-missing' });
  });

  it('rotates without downtime: old and new rings interoperate at every stage', () => {
    const old = new Keyring([k1]);
    const staged = new Keyring([k1, k2]); // new key accepted, old still primary
    const switched = new Keyring([k2, k1]); // new key primary, old still accepted
    const done = new Keyring([k2]);
    expect(staged.open(old.seal(payload)).ok).toBe(true);
    expect(old.open(staged.seal(payload)).ok).toBe(true);
    expect(staged.open(switched.seal(payload)).ok).toBe(true);
    expect(switched.open(staged.seal(payload)).ok).toBe(true);
    expect(done.open(switched.seal(payload)).ok).toBe(true);
    expect(done.open(old.seal(payload)).ok).toBe(false);
  });

  it('reads a key file: comments skipped, first key primary, hex keys accepted', () => {
    const text = `# cluster keys\n\n${k2.toString('base64')}\nhex:${k1.toString('hex')}\n`;
    const ring = parseKeyFile(text);
    expect(ring.size).toBe(2);
    expect(new Keyring([k2]).open(ring.seal(payload)).ok).toBe(true);
    expect(new Keyring([k1]).open(ring.seal(payload)).ok).toBe(false);
  });

  it.each([
    ['# nothing\n', 'holds no key'],
    ['not base64!\n', 'line 1: not base64'],
    [`${randomBytes(8).toString('base64')}\n`, 'line 1: key is 8 bytes'],
    ['hex:abc\n', "line 1: 'hex:' must be followed"],
  ])('rejects a bad key file %j with a message naming the problem', (text, message) => {
    expect(() => parseKeyFile(text)).toThrow(KeyringError);
    expect(() => parseKeyFile(text)).toThrow(message);
  });
});
