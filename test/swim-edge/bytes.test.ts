/** The codec's byte layer: varints and strings round-trip, and packets written into a slab stay intact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../impl/swim/bytes.js';

function roundTripUvar(v: number): number {
  const w = new ByteWriter(64);
  w.uvar(v);
  const r = new ByteReader(w.finish());
  const back = r.uvar('v');
  r.end();
  return back;
}

describe('byte layer', () => {
  it('round-trips varints at every width boundary up to 2^53 - 1', () => {
    const edges = [0, 1, 127, 128, 16383, 16384, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35, 2 ** 49 - 1, 2 ** 49, Number.MAX_SAFE_INTEGER];
    for (const v of edges) expect(roundTripUvar(v)).toBe(v);
  });

  it('round-trips any safe non-negative integer as a varint', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (v) => {
        expect(roundTripUvar(v)).toBe(v);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses to write a negative, fractional or unsafe varint', () => {
    for (const v of [-1, 1.5, 2 ** 53, Number.NaN]) expect(() => new ByteWriter(64).uvar(v)).toThrow(RangeError);
  });

  it('round-trips strings, ASCII or not, whether or not the string cache already holds them', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60, unit: 'binary' }), { minLength: 1, maxLength: 8 }), (texts) => {
        const w = new ByteWriter(64);
        for (const t of [...texts, ...texts]) w.str(t);
        const r = new ByteReader(w.finish());
        for (const t of [...texts, ...texts]) expect(r.str('t', 1_000)).toBe(t);
        r.end();
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every finished packet intact while later packets fill and outgrow its slab', () => {
    const w = new ByteWriter(256);
    const packets: { bytes: Uint8Array; copy: Uint8Array }[] = [];
    for (let i = 0; i < 200; i++) {
      // Sizes from 1 to ~300 bytes: some packets fit the slab's tail, some move to a fresh slab mid-write.
      for (let j = 0; j <= (i * 37) % 300; j++) w.u8(i + j);
      w.str(`packet-${i}`);
      const bytes = w.finish();
      packets.push({ bytes, copy: Uint8Array.from(bytes) });
    }
    for (const p of packets) expect(Uint8Array.from(p.bytes)).toEqual(p.copy);
  });

  it('measures, takes back and views positions within the packet being written', () => {
    const w = new ByteWriter(16);
    w.str('first');
    w.finish();
    w.u8(1);
    w.u8(2);
    const mark = w.length;
    w.str('abcdefghijklmnopqrstuvwxyz');
    expect(w.length).toBe(2 + 1 + 26);
    w.truncate(mark);
    w.u8(3);
    expect(Array.from(w.view(0))).toEqual([1, 2, 3]);
    expect(Array.from(w.finish())).toEqual([1, 2, 3]);
  });
});
