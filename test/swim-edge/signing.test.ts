/** Signed self-records: only a node's own key can speak for its NodeInfo, relays included. */
import { describe, expect, it } from 'vitest';
import { RecordSigner, RecordVerifier } from '../../impl/swim/signing.js';

const meta = new TextEncoder().encode('backend 127.0.0.1:8080');
const alice = RecordSigner.generate();
const mallory = RecordSigner.generate();

describe('signed self-records', () => {
  it('accepts a record signed by its owner', () => {
    expect(new RecordVerifier({ trusted: { n1: alice.publicKey } }).verify('n1', 3, meta, alice.sign('n1', 3, meta))).toBe('ok');
  });

  it('rejects a record whose metadata was changed by a relay', () => {
    const sig = alice.sign('n1', 3, meta);
    const altered = new TextEncoder().encode('backend 6.6.6.6:8080');
    expect(new RecordVerifier({ trusted: { n1: alice.publicKey } }).verify('n1', 3, altered, sig)).toBe('sig-bad');
  });

  it('rejects a signature replayed onto a higher incarnation', () => {
    expect(new RecordVerifier({ trusted: { n1: alice.publicKey } }).verify('n1', 4, meta, alice.sign('n1', 3, meta))).toBe('sig-bad');
  });

  it('refuses a record of an id the trust store does not list, however well signed (no trust on first use)', () => {
    const v = new RecordVerifier({ trusted: { n1: alice.publicKey } });
    expect(v.verify('n2', 1, meta, mallory.sign('n2', 1, meta))).toBe('sig-uncertified');
    expect(v.verify('n2', 2, meta, alice.sign('n2', 2, meta))).toBe('sig-uncertified');
  });

  it('rejects a forger outright when the trust store names the owner key', () => {
    const v = new RecordVerifier({ trusted: { n1: alice.publicKey } });
    expect(v.verify('n1', 1, meta, mallory.sign('n1', 1, meta))).toBe('sig-key-mismatch');
  });

  it('rejects an unsigned record when signatures are required', () => {
    expect(new RecordVerifier({ trusted: { n1: alice.publicKey } }).verify('n1', 1, meta, undefined)).toBe('sig-missing');
  });

  it('checks a record relayed many times only once', () => {
    const v = new RecordVerifier({ trusted: { n1: alice.publicKey } });
    const sig = alice.sign('n1', 5, meta);
    for (let i = 0; i < 10; i++) expect(v.verify('n1', 5, meta, sig)).toBe('ok');
    expect(v.checks).toBe(1);
  });

  it('does not let the cache vouch for a different record at the same incarnation', () => {
    const v = new RecordVerifier({ trusted: { n1: alice.publicKey } });
    const sig = alice.sign('n1', 5, meta);
    expect(v.verify('n1', 5, meta, sig)).toBe('ok');
    expect(v.verify('n1', 5, new TextEncoder().encode('other'), sig)).toBe('sig-bad');
  });
});
