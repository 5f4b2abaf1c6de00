/**
 * Typed errors shared by every room. Each carries a stable `code` a caller can switch on, and a
 * message that names the problem and says what to do about it.
 */
export class AliceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not match a wire format (JSON or binary). `path` names the offending field. */
export class DecodeError extends AliceError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('DECODE', `invalid ${path || 'input'}: ${reason}`);
  }
}

/** A configuration value outside its documented range. */
export class ConfigError extends AliceError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('CONFIG', `config field ${field}: ${reason}`);
  }
}
