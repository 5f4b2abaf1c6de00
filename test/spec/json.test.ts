import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  NODE_TYPES,
  type NodeInfo,
  type NodeVitals,
  decodeNodeInfo,
  encodeNodeInfo,
  makeNodeInfo,
  parseNodeInfo,
  parseNodeVitals,
  parsePeerInfoList,
  stringifyNodeInfo,
  stringifyNodeVitals,
  toPeerInfo,
  stringifyPeerInfo,
  parsePeerInfo,
} from 'alice';

const nodeInfoArb: fc.Arbitrary<NodeInfo> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  address: fc.string({ maxLength: 30 }),
  metricsPort: fc.integer({ min: 1, max: 65535 }),
  nodeType: fc.constantFrom(...NODE_TYPES),
  isLoadBalancer: fc.boolean(),
  capabilities: fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }),
  lastUpdated: fc.integer({ min: 0, max: 4_102_444_800_000 }),
});

const vitalsArb: fc.Arbitrary<NodeVitals> = fc.record({
  ready: fc.boolean(),
  requestsInProgress: fc.integer({ min: 0, max: 0xffff_ffff }),
  cpuUsage: fc.double({ min: 0, max: 100, noNaN: true }),
  memoryUsage: fc.double({ min: 0, max: 100, noNaN: true }),
  failedResponses: fc.nat(),
  connectedPeers: fc.integer({ min: 0, max: 0xffff_ffff }),
  backoffRequests: fc.integer({ min: 0, max: 0xffff_ffff }),
});

const floorSeconds = (n: NodeInfo): NodeInfo => ({ ...n, lastUpdated: Math.floor(n.lastUpdated / 1000) * 1000 });

describe('Inferno JSON wire format', () => {
  it('writes snake_case fields, lowercase node types and whole UNIX seconds', () => {
    const info = makeNodeInfo('backend-1', '10.0.1.5:3000', 9090, 'backend', 1_700_000_000_999);
    expect(JSON.parse(stringifyNodeInfo(info))).toEqual({
      id: 'backend-1',
      address: '10.0.1.5:3000',
      metrics_port: 9090,
      node_type: 'backend',
      is_load_balancer: false,
      capabilities: ['inference', 'model_serving', 'metrics_reporting'],
      last_updated: 1_700_000_000,
    });
  });

  it('round-trips NodeInfo losing exactly the sub-second part of last_updated', () => {
    fc.assert(fc.property(nodeInfoArb, (n) => {
          expect(parseNodeInfo(stringifyNodeInfo(n))).toEqual(floorSeconds(n));
        }));
  });

  it('round-trips PeerInfo without capabilities', () => {
    fc.assert(
      fc.property(nodeInfoArb, (n) => {
        const p = toPeerInfo(n);
        expect(parsePeerInfo(stringifyPeerInfo(p))).toEqual(toPeerInfo(floorSeconds(n)));
        expect(JSON.parse(stringifyPeerInfo(p))).not.toHaveProperty('capabilities');
      }),
    );
  });

  it('round-trips NodeVitals exactly', () => {
    fc.assert(fc.property(vitalsArb, (v) => {
          expect(parseNodeVitals(stringifyNodeVitals(v))).toEqual(v);
        }));
  });

  it('is stable: encoding a decoded record gives the same wire object', () => {
    fc.assert(fc.property(nodeInfoArb, (n) => {
          expect(encodeNodeInfo(decodeNodeInfo(encodeNodeInfo(n)))).toEqual(encodeNodeInfo(n));
        }));
  });

  it('ignores unknown extra fields, as serde does', () => {
    const wire = { ...encodeNodeInfo(makeNodeInfo('p', 'a:1', 1, 'proxy', 0)), signature: 'x' };
    expect(decodeNodeInfo(wire).id).toBe('p');
  });
});

describe('Inferno JSON wire format rejects bad input with a DecodeError naming the field', () => {
  const good = encodeNodeInfo(makeNodeInfo('p', 'a:1', 6100, 'proxy', 5000));
  const cases: [string, unknown, RegExp][] = [
    ['a missing field', { ...good, address: undefined }, /node\.address: missing field/],
    ['a wrong type', { ...good, is_load_balancer: 'yes' }, /node\.is_load_balancer: expected a boolean/],
    ['an unknown node type', { ...good, node_type: 'Proxy' }, /node\.node_type: unknown node type/],
    ['port 0', { ...good, metrics_port: 0 }, /node\.metrics_port: port out of range/],
    ['port above 65535', { ...good, metrics_port: 70000 }, /node\.metrics_port: expected a whole number in 0\.\.65535/],
    ['fractional seconds', { ...good, last_updated: 1.5 }, /node\.last_updated/],
    ['a non-string capability', { ...good, capabilities: ['a', 3] }, /node\.capabilities\[1\]/],
    ['not an object', [good], /node: expected an object, got an array/],
    ['an empty id', { ...good, id: '' }, /node\.id: must not be empty/],
  ];
  for (const [what, value, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => decodeNodeInfo(value)).toThrow(DecodeError);
      expect(() => decodeNodeInfo(value)).toThrow(message);
    });
  }

  it('rejects malformed JSON text', () => {
    expect(() => parseNodeInfo('{"id": ')).toThrow(/node: malformed JSON/);
  });

  it('names the position of a bad entry in a list', () => {
    const text = JSON.stringify([good, { ...good, node_type: 'router' }]);
    expect(() => parsePeerInfoList(text)).toThrow(/peers\[1\]\.node_type/);
  });

  it('rejects arbitrary non-records without throwing anything but DecodeError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          decodeNodeInfo(v);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});
