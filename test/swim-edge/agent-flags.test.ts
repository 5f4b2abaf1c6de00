/** `alice agent` flag validation: every bad flag is named in the message. */
import { describe, expect, it } from 'vitest';
import { UsageError, parseAgentFlags } from '../../cli/commands/agent-flags.js';

const good = { id: 'n1', bind: '127.0.0.1:7946', type: 'backend', address: '127.0.0.1:3000', metricsPort: '9090' };

describe('agent flags', () => {
  it('accepts a complete set and splits --join on commas', () => {
    const f = parseAgentFlags({ ...good, join: '127.0.0.1:7947,127.0.0.1:7948' });
    expect(f).toMatchObject({ id: 'n1', nodeType: 'backend', metricsPort: 9090, join: ['127.0.0.1:7947', '127.0.0.1:7948'], preset: 'lan' });
  });

  it.each([
    [{ id: undefined }, '--id is required'],
    [{ id: 'bad id' }, '--id must be'],
    [{ bind: undefined }, '--bind is required'],
    [{ bind: 'localhost' }, "--bind must be HOST:PORT with a port 1..65535, got 'localhost'"],
    [{ join: '127.0.0.1:7947,nope' }, "--join must be HOST:PORT with a port 1..65535, got 'nope'"],
    [{ type: 'router' }, "--type must be one of proxy|backend|governator, got 'router'"],
    [{ address: '127.0.0.1:0' }, '--address must be HOST:PORT'],
    [{ metricsPort: '70000' }, '--metrics-port must be between 1 and 65535, got 70000'],
    [{ metricsPort: 'x' }, "--metrics-port must be a whole number, got 'x'"],
    [{ metricsPort: undefined }, '--metrics-port is required'],
    [{ http: ':80' }, '--http must be HOST:PORT'],
    [{ preset: 'fast' }, "--preset must be one of lan|wan|local, got 'fast'"],
  ])('rejects %j naming the flag', (patch, message) => {
    const raw = { ...good, ...patch };
    expect(() => parseAgentFlags(raw)).toThrow(UsageError);
    expect(() => parseAgentFlags(raw)).toThrow(message);
  });

  it.each([
    [{ signKey: 'n1.pem' }, '--sign-key needs a trust anchor'],
    [{ trustedKeys: 'keys' }, 'add --sign-key'],
    [{ signKey: 'n1.pem', trustedKeys: 'keys', nodeCert: 'n1.cert' }, '--node-cert is checked against a cluster authority'],
    [{ signKey: 'n1.pem', clusterKey: 'ca.pub' }, '--cluster-key needs --node-cert'],
  ])('refuses signing flags %j without their trust anchor, saying %s', (flags, message) => {
    expect(() => parseAgentFlags({ ...good, ...flags })).toThrow(message);
  });

  it('binds any local interface address with --allow-remote, --http included', () => {
    const f = parseAgentFlags({ ...good, bind: '10.213.0.11:7946', join: '10.213.0.12:7946', http: '10.213.0.11:8500', allowRemote: true });
    expect(f).toMatchObject({ bind: '10.213.0.11:7946', join: ['10.213.0.12:7946'], http: '10.213.0.11:8500', allowRemote: true });
    expect(parseAgentFlags({ ...good, http: '0.0.0.0:8500', allowRemote: true }).http).toBe('0.0.0.0:8500');
  });

  it.each([
    [{ bind: '10.213.0.11:7946' }, '--bind 10.213.0.11:7946 is not a loopback address; add --allow-remote'],
    [{ join: '10.213.0.12:7946' }, '--join 10.213.0.12:7946 is not a loopback address; add --allow-remote'],
    [{ http: '10.213.0.11:8500' }, '--http 10.213.0.11:8500 is not a loopback address; add --allow-remote'],
    [{ bind: '0.0.0.0:7946', allowRemote: true }, '--bind 0.0.0.0:7946 is a wildcard'],
    [{ bind: '[::]:7946', allowRemote: true }, '--bind [::]:7946 is a wildcard'],
  ])('refuses %j, saying %s', (patch, message) => {
    expect(() => parseAgentFlags({ ...good, ...patch })).toThrow(message);
  });
});
