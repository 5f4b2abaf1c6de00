/**
 * `alice agent`: one real SWIM node over UDP/TCP. Prints membership events as JSON lines on stdout,
 * optionally serves the discovery API (--http), and leaves gracefully on SIGINT/SIGTERM.
 * Bad flags exit 2 with a message naming the flag (agent-flags.ts).
 */
import type { Command } from 'commander';
import { makeNodeInfo } from '../../spec/node.js';
import { SWIM_PRESETS } from '../../impl/swim/index.js';
import { loadKeyFile } from '../../impl/swim/keyring.js';
import { createSwimNode } from '../../impl/swim/node.js';
import { type HostPort, formatHostPort, parseHostPort } from '../../impl/swim/wire.js';
import { RecordSigner, RecordVerifier } from '../../impl/swim/signing.js';
import { loadCertificate, loadClusterKey, loadTrustedKeys } from '../../impl/swim/trust-anchor.js';
import { type AgentFlags, type AgentFlagsRaw, UsageError, parseAgentFlags } from './agent-flags.js';
import { runUntilSignalled, startAgent } from './agent-run.js';

/** The signer and verifier of a signing agent, from its trust-anchor files. */
function signing(flags: AgentFlags): { signer: RecordSigner; verifier: RecordVerifier } {
  const signer = RecordSigner.fromPemFile(flags.signKey as string, flags.nodeCert !== undefined ? loadCertificate(flags.nodeCert) : undefined);
  const trusted = flags.trustedKeys !== undefined ? loadTrustedKeys(flags.trustedKeys) : undefined;
  const listed = trusted?.[flags.id];
  if (listed !== undefined && Buffer.compare(Buffer.from(listed), Buffer.from(signer.publicKey)) !== 0)
    throw new UsageError(`--trusted-keys lists another key for ${flags.id} than --sign-key holds; the other members would refuse this node's records`);
  const authority = flags.clusterKey !== undefined ? loadClusterKey(flags.clusterKey) : undefined;
  return { signer, verifier: new RecordVerifier({ ...(trusted ? { trusted } : {}), ...(authority ? { authority } : {}) }) };
}

export function register(program: Command): void {
  program
    .command('agent')
    .description('run one SWIM discovery node over UDP/TCP; membership events are printed as JSON lines')
    .option('--id <id>', '(required) this node\'s id, unique in the cluster')
    .option('--bind <host:port>', '(required) UDP and TCP address of the SWIM socket: loopback, or any local interface address with --allow-remote (not a wildcard: peers are told this address)')
    .option('--join <host:port,...>', 'seeds to join through (omit on the first node)')
    .option('--type <type>', 'backend | proxy | governator', 'backend')
    .option('--address <host:port>', '(required) where this node serves requests (its NodeInfo address)')
    .option('--metrics-port <port>', '(required) port of this node\'s /metrics endpoint (its NodeInfo metrics_port)')
    .option('--http <host:port>', 'serve GET /members, /backends and /metrics here')
    .option('--key-file <file>', 'HMAC keyring for packet authentication: one base64 key per line, primary first')
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign this node\'s records; every received record must then be signed by a key the trust anchor vouches for (--trusted-keys or --cluster-key)')
    .option('--trusted-keys <file>', 'trust anchor: one "<id> <base64 public key>" a line; only these keys speak for those ids')
    .option('--cluster-key <file>', 'trust anchor: the cluster authority\'s public key; a node key it certified speaks for its id')
    .option('--node-cert <file>', 'this node\'s certificate from the cluster authority (alice certify), sent with its records')
    .option('--allow-remote', 'bind --bind and --http to, and talk to, non-loopback addresses (default: loopback only)', false)
    .option('--preset <name>', 'protocol timings: lan | wan | local', 'lan')
    .option('--seed <n>', 'seed of the node\'s generator (probe order, helpers)')
    .option('--exit-after <seconds>', 'leave gracefully and exit after this long (demos, tests)')
    .action(async (raw: AgentFlagsRaw) => {
      const flags = parseAgentFlags(raw);
      const write = (line: string) => process.stdout.write(`${line}\n`);
      const node = createSwimNode({
        id: flags.id,
        info: makeNodeInfo(flags.id, flags.address, flags.metricsPort, flags.nodeType, Date.now()),
        bind: flags.bind,
        seeds: flags.join,
        config: SWIM_PRESETS[flags.preset],
        rngSeed: flags.seed,
        ...(flags.keyFile !== undefined ? { keyring: loadKeyFile(flags.keyFile) } : {}),
        ...(flags.signKey !== undefined ? signing(flags) : {}),
        ...(flags.allowRemote ? { allowRemote: true } : {}),
        // A node whose seeds were slow must not stay alone: retry every 5 s, and say so.
        retryJoinMs: 5000,
        onJoinFailed: (reason) => process.stderr.write(`alice agent ${flags.id}: join failed (${reason}); retrying every 5 s\n`),
      });
      const agent = await startAgent(node, { ...(flags.http !== undefined ? { http: flags.http } : {}), allowRemote: flags.allowRemote, write });
      const httpHost = flags.http !== undefined ? (parseHostPort(flags.http) as HostPort).host : undefined;
      write(JSON.stringify({ ts: new Date().toISOString(), node: flags.id, event: 'started', bind: node.transport.boundAddress, ...(agent.http && httpHost !== undefined ? { http: formatHostPort({ host: httpHost, port: agent.http.boundPort }) } : {}) }));
      process.exitCode = await runUntilSignalled(agent, write, flags.exitAfterSeconds);
    });
}
