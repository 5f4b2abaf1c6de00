#!/usr/bin/env node
// The `alice` command. In a checkout the sources are TypeScript and tsx compiles them on load, so
// there is no build step; the installed package carries no sources, only the JavaScript `npm pack`
// compiled into dist/ (see the prepack script), and runs that. Which one is decided by whether the
// source is here, never by dist/ existing: a dist/ left over from an earlier `npm pack` in a
// checkout is stale and must not shadow the sources being edited.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
