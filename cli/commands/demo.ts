import type { Command } from 'commander';

/** Placeholder wiring: replaced by the majority demo (issue 2). */
export function register(program: Command): void {
  program
    .command('demo')
    .description('demonstrate the majority system on a small cluster')
    .action(() => {
      process.stdout.write('demo: not yet built\n');
    });
}
