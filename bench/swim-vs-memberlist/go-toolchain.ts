/**
 * Go and Debian's memberlist for the side-by-side bench: found, installed with apt-get when missing
 * (saying so), and the memberlist side built in GOPATH mode (no module download).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from '../apt-install.js';

export const GO_PACKAGES = ['golang-go', 'golang-github-hashicorp-memberlist-dev'] as const;
export const DEBIAN_GOPATH = '/usr/share/gocode';
const MEMBERLIST_SRC = join(DEBIAN_GOPATH, 'src/github.com/hashicorp/memberlist');
const SIDE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'memberlist-side');

/** What is missing for the Go side, or an empty list when Go and the package are both present. */
export function missingGoParts(): string[] {
  const missing: string[] = [];
  if (spawnSync('go', ['version'], { encoding: 'utf8' }).status !== 0) missing.push('golang-go (the go command)');
  if (!existsSync(MEMBERLIST_SRC)) missing.push(`golang-github-hashicorp-memberlist-dev (${MEMBERLIST_SRC})`);
  return missing;
}

export class GoUnavailableError extends Error {
  constructor(readonly missing: readonly string[], readonly why: string) {
    super(`the memberlist side needs ${missing.join(' and ')}; ${why}. Install them with: apt-get update && apt-get install -y ${GO_PACKAGES.join(' ')}`);
  }
}

/** Installs the Go packages with apt-get when missing; throws GoUnavailableError when that fails. */
export function ensureGo(say: (line: string) => void): void {
  const { still, why } = aptInstall(GO_PACKAGES, missingGoParts, say);
  if (still.length > 0) throw new GoUnavailableError(still, why);
}

/** Builds memberlist-side/main.go against Debian's memberlist; returns the binary's path. */
export function buildMemberlistSide(): string {
  const out = join(tmpdir(), 'alice-swim-vs-memberlist');
  mkdirSync(out, { recursive: true });
  const bin = join(out, 'memberlist-side');
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: `${join(out, 'gopath')}:${DEBIAN_GOPATH}`, GOCACHE: join(out, 'gocache'), GOFLAGS: '' };
  const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: SIDE_DIR, env, encoding: 'utf8' });
  if (r.status !== 0) throw new GoUnavailableError(['a memberlist-side build'], `go build failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return bin;
}
