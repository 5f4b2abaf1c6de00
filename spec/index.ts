export * from './errors.js';
export * from './node.js';
export * from './json.js';
export * from './step.js';
export * from './view.js';
export * from './properties.js';
export * from './canonical.js';
export * from './protocol.js';
