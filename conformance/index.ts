/** The conformance harness: does an implementation refine its model? (README, "Conformance"). */
export { ConformanceError, StdioProtocolError } from './errors.js';
export { type NodeReply, type NodeSource, type NodeUnderTest, inProcessSource } from './node-under-test.js';
export { type AllowedStep, type Divergence, type DivergenceKind, type ModelObserver, type NodeTrace, LockstepNode, checkTrace } from './lockstep.js';
export { shrinkTrace, type ShrinkOptions } from './shrink.js';
export { formatDivergence, viewsSideBySide } from './report.js';
export { TransitionCoverage, coverageTable, machineTransitions, type CoverageRow, type MachineTransition } from './coverage.js';
export { bfsTraces, walkTraces, corpusOf, ModelCluster, type BfsOptions, type WalkOptions, type Corpus } from './explore.js';
export { fuzz, type FuzzOptions } from './fuzz.js';
export { simulate, type SimOptions } from './simulate.js';
export { PROFILES, type Profile, type ProfileSize, scaledProfile, sizedProfile, variantShare } from './profiles.js';
export { PRODUCTION_PAIRS, SWIM_FULL_CONFIG, type ConformancePair, type PairVariant } from './registry.js';
export { runSuites, formatRun, type ConformanceRun, type SuiteResult, type SuiteOptions } from './suites.js';
export { replayOnImpl, replayFixtureOnImpl, implForReplay, implExplanation, formatImplReplay, type ImplReplay, type ImplReplayVerdict } from './counterexample.js';
export { serveStdio, StdioNode, STDIO_VERSION } from './stdio/server.js';
export { execSource, type ExecOptions } from './stdio/exec-node.js';
