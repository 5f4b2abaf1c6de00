/** `alice agent --help` says which flags are required, so an operator learns it before a failed start. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const help = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'agent', '--help'], { encoding: 'utf8', timeout: 60_000 }).stdout;

function lineOf(flag: string): string {
  return help.split('\n').find((l) => l.trimStart().startsWith(flag)) ?? '';
}

describe('agent --help', () => {
  it.each(['--id', '--bind', '--address', '--metrics-port'])('marks %s as required', (flag) => {
    expect(lineOf(flag)).toMatch(/\(required\)/);
  });

  it('does not mark an optional flag as required', () => {
    expect(lineOf('--join')).not.toMatch(/\(required\)/);
  });
});
