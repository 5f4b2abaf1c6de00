/**
 * Decoder fuzzing: random bytes and mutated valid packets never throw out of the receive path, never
 * reach the core when they do not decode, and are counted by drop reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwimCodec } from '../../impl/swim/codec.js';
import { Metrics } from '../../impl/swim/metrics.js';
import { NetTransport } from '../../impl/swim/transport-udp.js';
import { SWIM_LOCAL, swimNode as swimCore } from '../../impl/swim/index.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { SwimMessage } from '../../spec/swim.js';
import { messageArb, senderArb } from './arbitraries.js';

const codec = new SwimCodec();
const remote = { host: '127.0.0.1', port: 40000 };

function harness() {
  const metrics = new Metrics();
  const t = new NetTransport<SwimMessage>({ id: 'n1', bind: '127.0.0.1:0', codec, metrics });
  const init = swimCore.init({ id: 'n1', info: makeNodeInfo('n1', '127.0.0.1:3000', 9090, 'backend', 0), seeds: [], now: 0, rngSeed: 1, config: SWIM_LOCAL });
  let state = init.state;
  let delivered = 0;
  const deliver = (from: string, message: SwimMessage) => {
    delivered++;
    state = swimCore.step(state, { type: 'receive', from, message, now: 1 }).state;
  };
  return { t, metrics, deliver, get state() { return state; }, get delivered() { return delivered; }, initial: init.state };
}

describe('decoder fuzzing', () => {
  it('random bytes never throw from decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), (bytes) => {
        const d = codec.decode(bytes);
        expect(typeof d.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes are dropped and counted by reason, and the core state is untouched', () => {
    const h = harness();
    let n = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), (bytes) => {
        n++;
        expect(() => h.t.ingest(bytes, remote, h.deliver)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
    expect(h.delivered).toBe(0);
    expect(h.state).toBe(h.initial);
    expect(h.metrics.total('packets_dropped_total')).toBe(n);
    expect(h.metrics.get('packets_in_total')).toBe(n);
  });

  it('mutated and truncated valid packets never throw; those delivered decode to valid messages', () => {
    const h = harness();
    let n = 0;
    fc.assert(
      fc.property(
        senderArb,
        messageArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        (from, message, flips, cut) => {
          const bytes = codec.encode(from, message, Infinity);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const mutated = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
          n++;
          expect(() => h.t.ingest(mutated, remote, h.deliver)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
    expect(h.metrics.total('packets_dropped_total') + h.delivered).toBe(n);
    expect(h.metrics.total('packets_dropped_total')).toBeGreaterThan(0);
  });

  it('counts oversized datagrams without decoding them', () => {
    const h = harness();
    h.t.ingest(new Uint8Array(5000), remote, h.deliver);
    expect(h.metrics.get('packets_dropped_total', { reason: 'oversized' })).toBe(1);
  });
});
