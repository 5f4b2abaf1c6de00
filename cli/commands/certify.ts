/**
 * `alice certify`: the operator's tool for the signed-records trust anchor. With --authority, prints
 * the certificate (base64, for --node-cert) that the node key in --key speaks for --id; with
 * --print-key, prints the raw public key of --key (base64, for a --trusted-keys line).
 */
import type { Command } from 'commander';
import { ClusterAuthority, RecordSigner } from '../../impl/swim/signing.js';
import { UsageError } from './agent-flags.js';

export function register(program: Command): void {
  program
    .command('certify')
    .description('make a node certificate for --node-cert (or print a node key for --trusted-keys)')
    .option('--key <file>', '(required) the node\'s Ed25519 private key (PEM)')
    .option('--id <id>', 'the node id the certificate is for (with --authority)')
    .option('--authority <file>', 'the cluster authority\'s Ed25519 private key (PEM)')
    .option('--print-key', 'print the node key\'s raw public key (base64) instead', false)
    .action((o: { key?: string; id?: string; authority?: string; printKey: boolean }) => {
      if (o.key === undefined) throw new UsageError('--key is required (the node\'s PEM private key)');
      const node = RecordSigner.fromPemFile(o.key);
      if (o.printKey) {
        process.stdout.write(`${Buffer.from(node.publicKey).toString('base64')}\n`);
        return;
      }
      if (o.authority === undefined || o.id === undefined) throw new UsageError('certify needs --authority <file> and --id <id> (or --print-key)');
      const cert = ClusterAuthority.fromPemFile(o.authority).certify(o.id, node.publicKey);
      process.stdout.write(`${Buffer.from(cert).toString('base64')}\n`);
    });
}
