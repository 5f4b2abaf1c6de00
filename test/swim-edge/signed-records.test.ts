/**
 * Signed self-records through the codec: a member's alive record carries its own signature, relays
 * forward it intact, and a forged or altered record is dropped even when it comes from a member that
 * holds the cluster key.
 */
import { describe, expect, it } from 'vitest';
import { SwimCodec } from '../../impl/swim/codec.js';
import { ClusterAuthority, RecordSigner, RecordVerifier } from '../../impl/swim/signing.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { MemberUpdate } from '../../spec/swim.js';

const aliceKey = RecordSigner.generate();
const malloryKey = RecordSigner.generate();
const TRUSTED = { alice: aliceKey.publicKey };
const info = makeNodeInfo('alice', '127.0.0.1:3000', 9090, 'backend', 1_764_000_000_000);
const alive = (address: string, incarnation = 1): MemberUpdate => ({ kind: 'alive', member: 'alice', incarnation, info: { ...info, address }, health: { ready: true, loadBucket: 0 } });

function receiver() {
  const rejected: string[] = [];
  const learnt: [string, string][] = [];
  const codec = new SwimCodec({ self: 'bob', verifier: new RecordVerifier({ trusted: TRUSTED }), onRejectedRecord: (r) => rejected.push(r), learnAddress: (m, a) => learnt.push([m, a]) });
  return { codec, rejected, learnt };
}

describe('first-claim forgery (the operator\'s trust anchor decides which key speaks for an id)', () => {
  const s4 = (address: string): MemberUpdate => ({ kind: 'alive', member: 's4', incarnation: 1, info: makeNodeInfo('s4', address, 9090, 'backend', 1), health: { ready: true, loadBucket: 0 } });

  it('refuses a record for an id the receiver has not seen, signed by a key the trust store does not list, and counts it', () => {
    const rejected: string[] = [];
    const codec = new SwimCodec({ self: 'bob', verifier: new RecordVerifier({ trusted: { alice: aliceKey.publicKey } }), onRejectedRecord: (r) => rejected.push(r) });
    const forger = new SwimCodec({ self: 's4', selfAddress: () => '6.6.6.6:4', signer: malloryKey });
    const d = codec.decode(forger.encode('mallory', { kind: 'gossip', updates: [s4('6.6.6.6:4')] }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(0);
    expect(rejected).toEqual(['sig-uncertified']);
  });

  it('never pins a refused key: under a cluster authority, the certified s4 is accepted after an uncertified forger tried first', () => {
    const ca = ClusterAuthority.generate();
    const s4Key = RecordSigner.generate();
    const rejected: string[] = [];
    const codec = new SwimCodec({ self: 'bob', verifier: new RecordVerifier({ authority: ca.publicKey }), onRejectedRecord: (r) => rejected.push(r) });
    const forger = new SwimCodec({ self: 's4', selfAddress: () => '6.6.6.6:4', signer: malloryKey.withCertificate(ca.certify('mallory', malloryKey.publicKey)) });
    expect(codec.decode(forger.encode('mallory', { kind: 'gossip', updates: [s4('6.6.6.6:4')] }))).toMatchObject({ ok: true, message: { updates: [] } });
    const real = new SwimCodec({ self: 's4', selfAddress: () => '127.0.0.1:7004', signer: s4Key.withCertificate(ca.certify('s4', s4Key.publicKey)) });
    const d = codec.decode(real.encode('s4', { kind: 'gossip', updates: [s4('127.0.0.1:3004')] }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(1);
    expect(rejected).toEqual(['sig-uncertified']);
  });

  it('lets a relay forward the certificate with the record, so a third member accepts it', () => {
    const ca = ClusterAuthority.generate();
    const key = RecordSigner.generate();
    const origin = new SwimCodec({ self: 's4', selfAddress: () => '127.0.0.1:7004', signer: key.withCertificate(ca.certify('s4', key.publicKey)) });
    const relay = new SwimCodec({ self: 'carol', verifier: new RecordVerifier({ authority: ca.publicKey }) });
    const got = relay.decode(origin.encode('s4', { kind: 'gossip', updates: [s4('127.0.0.1:3004')] }));
    if (!got.ok || got.message.kind !== 'gossip') throw new Error('relay did not accept');
    const third = new SwimCodec({ self: 'bob', verifier: new RecordVerifier({ authority: ca.publicKey }) });
    const d = third.decode(relay.encode('carol', { kind: 'gossip', updates: got.message.updates }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(1);
  });
});

describe('signed self-records on the wire', () => {
  it('delivers a record signed by its member, and teaches its gossip address', () => {
    const sender = new SwimCodec({ self: 'alice', selfAddress: () => '127.0.0.1:7001', signer: aliceKey });
    const r = receiver();
    const d = r.codec.decode(sender.encode('alice', { kind: 'gossip', updates: [alive('127.0.0.1:3000')] }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(1);
    expect(r.learnt).toEqual([['alice', '127.0.0.1:7001']]);
  });

  it('lets a relay forward the signature intact so the third member accepts it', () => {
    const origin = new SwimCodec({ self: 'alice', selfAddress: () => '127.0.0.1:7001', signer: aliceKey });
    const relay = new SwimCodec({ self: 'carol', verifier: new RecordVerifier({ trusted: TRUSTED }) });
    const got = relay.decode(origin.encode('alice', { kind: 'gossip', updates: [alive('127.0.0.1:3000')] }));
    if (!got.ok || got.message.kind !== 'gossip') throw new Error('relay did not accept');
    const r = receiver();
    const d = r.codec.decode(relay.encode('carol', { kind: 'gossip', updates: got.message.updates }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(1);
    expect(r.rejected).toEqual([]);
  });

  it('drops a record a relay altered (new service address) and counts it as sig-bad', () => {
    const origin = new SwimCodec({ self: 'alice', selfAddress: () => '127.0.0.1:7001', signer: aliceKey });
    const relay = new SwimCodec({ self: 'mallory' });
    relay.decode(origin.encode('alice', { kind: 'gossip', updates: [alive('127.0.0.1:3000')] }));
    const r = receiver();
    const d = r.codec.decode(relay.encode('mallory', { kind: 'gossip', updates: [alive('6.6.6.6:3000')] }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(0);
    expect(r.rejected).toEqual(['sig-missing']);
  });

  it('drops a record forged under the member id with another key than the trust store lists', () => {
    const r = receiver();
    const real = new SwimCodec({ self: 'alice', selfAddress: () => '127.0.0.1:7001', signer: aliceKey });
    r.codec.decode(real.encode('alice', { kind: 'gossip', updates: [alive('127.0.0.1:3000')] }));
    const forger = new SwimCodec({ self: 'alice', selfAddress: () => '127.0.0.1:6666', signer: malloryKey });
    const d = r.codec.decode(forger.encode('mallory', { kind: 'gossip', updates: [alive('6.6.6.6:3000', 2)] }));
    expect(d.ok && d.message.kind === 'gossip' && d.message.updates).toHaveLength(0);
    expect(r.rejected).toEqual(['sig-key-mismatch']);
  });
});
