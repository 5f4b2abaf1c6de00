export * from './messages.js';
export { toyMachine, toyModel, toyProtocol, type ToyContext, type ToySnapshot } from './model.js';
export { toyImpl, toyImplProtocol, type ToyBug, type ToyState } from './impl.js';
