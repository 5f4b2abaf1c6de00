/** The discovery API over HTTP: Inferno-compatible backends, members, Prometheus metrics, clear errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryHttpServer, type DiscoverySource } from '../../impl/swim/http.js';
import { Metrics } from '../../impl/swim/metrics.js';
import { makeNodeInfo } from '../../spec/node.js';
import { decodeList, decodeNodeInfo } from '../../spec/json.js';

const b1 = makeNodeInfo('b1', '127.0.0.1:3001', 9091, 'backend', 1_700_000_000_000);
const p1 = makeNodeInfo('p1', '127.0.0.1:3000', 9090, 'proxy', 1_700_000_000_000);
const metrics = new Metrics();
metrics.inc('probes_total', 7);
metrics.inc('packets_dropped_total', 2, { reason: 'truncated' });
const source: DiscoverySource = {
  members: () => [
    { id: 'p1', status: 'alive', incarnation: 0, info: p1 },
    { id: 'b1', status: 'suspect', incarnation: 3, info: b1, health: { ready: true, loadBucket: 2 } },
  ],
  healthyBackends: () => [b1],
  metricsText: () => metrics.render(),
};

let server: DiscoveryHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string, method = 'GET') {
  server ??= new DiscoveryHttpServer(source, { listen: '127.0.0.1:0' });
  if (server.boundPort === 0) await server.start();
  const r = await fetch(`http://127.0.0.1:${server.boundPort}${path}`, { method });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
}

describe('discovery HTTP API', () => {
  it('serves /backends as Inferno NodeInfo JSON that spec/json decodes back', async () => {
    const r = await get('/backends');
    expect(r.status).toBe(200);
    const list = decodeList(JSON.parse(r.body), decodeNodeInfo, 'backends');
    expect(list.map((n) => n.id)).toEqual(['b1']);
    expect(JSON.parse(r.body)[0]).toMatchObject({ node_type: 'backend', metrics_port: 9091, last_updated: 1_700_000_000 });
  });

  it('serves /members with status, incarnation and health', async () => {
    const r = await get('/members');
    expect(JSON.parse(r.body)).toEqual([
      expect.objectContaining({ id: 'p1', status: 'alive', incarnation: 0 }),
      expect.objectContaining({ id: 'b1', status: 'suspect', incarnation: 3, health: { ready: true, load_bucket: 2 } }),
    ]);
  });

  it('serves /metrics as Prometheus text with drop reasons as labels', async () => {
    const r = await get('/metrics');
    expect(r.type).toContain('text/plain');
    expect(r.body).toContain('# TYPE alice_swim_probes_total counter');
    expect(r.body).toContain('alice_swim_probes_total 7');
    expect(r.body).toContain('alice_swim_packets_dropped_total{reason="truncated"} 2');
    expect(r.body).toContain('alice_swim_members{state="dead"} 0');
  });

  it('answers an unknown path with 404 naming the endpoints', async () => {
    const r = await get('/nope');
    expect(r.status).toBe(404);
    expect(r.body).toContain('/members, /backends or /metrics');
  });

  it('answers a POST with 405', async () => {
    expect((await get('/members', 'POST')).status).toBe(405);
  });
});
