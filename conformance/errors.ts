/**
 * Errors of the conformance harness. A divergence is not an error (it is a finding, returned as data);
 * these are the cases where the harness cannot judge at all, and each says what to do.
 */
import { AliceError } from '../spec/errors.js';

/** The harness was asked for something it cannot do (unknown protocol, bad profile, bad flag value). */
export class ConformanceError extends AliceError {
  constructor(message: string) {
    super('CONFORMANCE', message);
  }
}

/** A node process broke the stdio step protocol (spec/stdio-protocol.md): bad JSON, wrong id, early exit. */
export class StdioProtocolError extends AliceError {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super('STDIO', `node process \`${command}\`: ${message}`);
  }
}
