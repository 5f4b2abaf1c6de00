export { Checker, check, verdictsOf, type CheckResult, type CheckStats, type Progress, type CheckHooks } from './explore.js';
export { EXIT, exitCode, failing, unmetAssumption, assumptionsOf, type BoundHit, type Coverage, type Verdict, type VerdictStatus } from './verdicts.js';
export { CHECK_DEFAULTS, CheckerError, FAULT_KINDS, checkOptions, faultModelText, optionsFor, type CheckOptions, type FaultKind, type Strategy, type Timing } from './options.js';
export { System, isFair, type Action, type StepInfo } from './system.js';
export { FingerprintSet, fingerprint } from './fingerprint.js';
export { checkParallel, type ProtocolSource } from './parallel.js';
export { fromItf, toItf, traceToMermaid, traceToText, type Trace, type TraceStep } from './trace.js';
export { replayTrace, TraceMismatchError, type ReplayOptions, type ReplayReport } from './replay.js';
export { MODEL_STEP, MODEL_STEP_PROPERTY, ModelStepError } from './model-error.js';
