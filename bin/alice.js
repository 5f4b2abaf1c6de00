#!/usr/bin/env node
// The `alice` command. Sources are TypeScript; tsx compiles them on load, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
