/**
 * What Inferno's code is today, as the roadmap starts from it: read from lucky-tensor/inferno at the
 * commit named here (test/experiment/inferno-code.test.ts re-reads every fact from a local mirror of
 * that repository when one exists). The roadmap steps per option and their effort basis are here too:
 * effort is lines to write or finish divided by an assumed rate, stated as an assumption.
 */

export const INFERNO_COMMIT = '521355c6d248849f75027fde5adc46184af77b84';
const SD = 'crates/shared/src/service_discovery';

/** Inferno's SWIM change: PR #17, commit 4dce5c6 (2025-09-04), which removed consensus.rs. */
export const INFERNO_SWIM_COMMIT = '4dce5c64dd711b52fc72c6b37fb302756e44ae79';
/** The parent of that change: the code inferno-current models (every BASELINE_CODE fact holds at both). */
export const INFERNO_BASELINE_COMMIT = '92bb000cc949e152627819fbbb4f6d66f74b88c8';

/**
 * What inferno-current models, as text in Inferno's files (docs/inferno-current.md gives the behaviour
 * each stands for; test/inferno/facts.test.ts holds the core to the behaviour).
 */
export const BASELINE_CODE: readonly { readonly path: string; readonly text: string; readonly what: string }[] = [
  { path: 'crates/backend/src/registration.rs', text: "Don't return error - continue trying other proxy operations servers", what: 'a failed registration is logged and never retried' },
  { path: 'crates/backend/src/registration.rs', text: 'Placeholder implementation - would deregister', what: 'leaving tells no load balancer' },
  { path: `${SD}/service.rs`, text: "already exists", what: 'a load balancer refuses an id it already holds' },
  { path: 'crates/proxy/src/cli_options.rs', text: 'health_check_timeout: Duration::from_secs(5), // Default timeout', what: "the proxy's health-check timeout is 5 s" },
  { path: 'crates/proxy/src/server.rs', text: 'let mut interval = tokio::time::interval(config.health_check_interval);', what: "the proxy's health loop is a tokio interval (default burst on missed ticks)" },
  { path: 'crates/proxy/src/server.rs', text: 'tokio::net::TcpStream::connect(metrics_addr)', what: 'a health check is a TCP connect to the metrics port; ready is not read' },
  { path: 'crates/proxy/src/server.rs', text: 'service_discovery.remove_peer(unhealthy_peer_id)', what: 'failed backends are removed after the round' },
  { path: 'crates/proxy/src/server.rs', text: "For this demo, we'll simulate server operation", what: 'the proxy binary does not start the request path (departure 1)' },
  { path: 'crates/proxy/src/lib.rs', text: 'let _registration = inferno_shared::service_discovery::BackendRegistration', what: "the request path's own ServiceDiscovery registers nothing (departure 1)" },
];

/** Functions with no caller outside tests (`git grep`), which inferno-current therefore leaves out. */
export const UNCALLED: readonly string[] = ['start_health_check_loop(', 'broadcast_self_update(', 'process_retry_queue(', 'resolve_consensus('];


/** Inferno's SWIM files and their line counts (`git show <commit>:<path> | wc -l`). */
export const SWIM_FILES: readonly { readonly path: string; readonly lines: number }[] = [
  { path: `${SD}/swim.rs`, lines: 1073 },
  { path: `${SD}/swim_bootstrap.rs`, lines: 691 },
  { path: `${SD}/swim_detector.rs`, lines: 779 },
  { path: `${SD}/swim_gossip.rs`, lines: 898 },
  { path: `${SD}/swim_integration.rs`, lines: 734 },
  { path: `${SD}/swim_network.rs`, lines: 548 },
  { path: `${SD}/swim_optimizations.rs`, lines: 755 },
  { path: `${SD}/swim_service.rs`, lines: 422 },
];

/** Stubs that remain in those files: the text each line carries (a test finds it at the line). */
export const SWIM_STUBS: readonly { readonly path: string; readonly line: number; readonly text: string; readonly what: string }[] = [
  { path: `${SD}/swim.rs`, line: 884, text: 'For now, assume success', what: 'an indirect probe forwarded for another member reports success without waiting for the ack' },
  { path: `${SD}/swim_bootstrap.rs`, line: 391, text: 'For now, simulate successful join', what: 'joining a discovered cluster sends no join request' },
  { path: `${SD}/swim_bootstrap.rs`, line: 434, text: 'TODO: Get actual cluster info', what: 'cluster discovery returns no real cluster information' },
  { path: `${SD}/swim_bootstrap.rs`, line: 456, text: 'TODO: Validate and process join request', what: 'an incoming join request is not validated or applied' },
  { path: `${SD}/swim_gossip.rs`, line: 742, text: 'TODO: Implement full sync with selected peer', what: 'anti-entropy (full state sync) picks a peer and sends nothing' },
  { path: `${SD}/swim_gossip.rs`, line: 709, text: 'The actual network sending would be implemented here', what: 'gossip dissemination does not reach the network transport' },
  { path: `${SD}/swim.rs`, line: 504, text: 'Process gossip updates would go here', what: 'received gossip updates are not applied' },
];

/** What the proxy and backend still call: the registration-based ServiceDiscovery, never SwimCluster. */
export const STILL_CALLED: readonly { readonly path: string; readonly text: string; readonly what: string }[] = [
  { path: 'crates/proxy/src/server.rs', text: 'Arc::new(ServiceDiscovery::with_config(', what: 'the proxy builds the registration-based ServiceDiscovery' },
  { path: 'crates/proxy/src/lib.rs', text: 'use inferno_shared::service_discovery::{ServiceDiscovery, ServiceDiscoveryConfig};', what: 'the proxy library imports ServiceDiscovery' },
  { path: 'crates/backend/src/registration.rs', text: 'pub async fn register(&self)', what: 'a backend registers once with its load balancers' },
];

/** SWIM's own UDP socket: a new port to open and watch (`swim_network.rs`). */
export const SWIM_UDP = { path: `${SD}/swim_network.rs`, text: 'UdpSocket::bind(bind_addr)' } as const;

/**
 * Assumed porting rate: 40–80 reviewed, tested lines of Rust per engineer-day. An assumption (no
 * measurement of Inferno's team exists here); the spread is the estimate's uncertainty.
 */
export const RATE = { low: 40, high: 80 } as const;

/** What a roadmap step's size is measured by. */
export type EffortBasis =
  | { readonly kind: 'inferno-lines'; readonly lines: number; readonly what: string }
  | { readonly kind: 'alice-lines'; readonly room: string; readonly what: string }
  | { readonly kind: 'assumed-days'; readonly low: number; readonly high: number; readonly what: string };

export interface RoadmapStep {
  readonly step: string;
  readonly basis: EffortBasis;
}

const swimLines = SWIM_FILES.reduce((a, f) => a + f.lines, 0);
const stubFiles = (files: readonly string[]) => SWIM_FILES.filter((f) => files.some((x) => f.path.endsWith(x))).reduce((a, f) => a + f.lines, 0);

/** Steps per option, each starting from Inferno's code as above. */
export const ROADMAPS: Readonly<Record<string, readonly RoadmapStep[]>> = {
  'inferno-current': [
    { step: 'Route requests from the registration table: the request path (`lib.rs` PeerManager) reads a second ServiceDiscovery no registration reaches, and the binary does not start Pingora', basis: { kind: 'inferno-lines', lines: 1072, what: 'crates/proxy/src/server.rs, where the table and the loop live (an upper bound)' } },
    { step: 'Let the health check read `ready` (GET the vitals instead of a TCP connect), use the unused `failure_threshold` (3) and `recovery_threshold` (2), and let a removed backend return on passing checks instead of only by re-registering', basis: { kind: 'inferno-lines', lines: 1379, what: 'service.rs, the file holding start_health_check_loop (lines to read and change, an upper bound)' } },
    { step: 'Have a backend retry its registration and re-register after removal (today once, at start, never retried)', basis: { kind: 'assumed-days', low: 1, high: 3, what: 'a retry loop in crates/backend/src/registration.rs (97 lines today)' } },
    { step: 'Remove or finish the unused SWIM modules so the tree says what runs', basis: { kind: 'assumed-days', low: 1, high: 2, what: 'deleting unused modules and their tests' } },
  ],
  hybrid: [
    { step: 'Finish the stubs in swim_bootstrap.rs (join request, cluster info, join validation)', basis: { kind: 'inferno-lines', lines: stubFiles(['swim_bootstrap.rs']), what: 'swim_bootstrap.rs, lines to review and finish' } },
    { step: 'Finish probe tracking in swim.rs (indirect probes wait for the ack) and apply received gossip', basis: { kind: 'inferno-lines', lines: stubFiles(['swim.rs']), what: 'swim.rs' } },
    { step: 'Finish gossip sending and anti-entropy full sync in swim_gossip.rs', basis: { kind: 'inferno-lines', lines: stubFiles(['swim_gossip.rs']), what: 'swim_gossip.rs' } },
    { step: 'Wire the proxy to SwimCluster for the load-balancer set (it still builds ServiceDiscovery), keep backend registration and health checks', basis: { kind: 'inferno-lines', lines: 1072, what: 'crates/proxy/src/server.rs' } },
    { step: 'Conformance: run Alice\'s SWIM model suites against Inferno\'s SWIM through the stdio harness', basis: { kind: 'alice-lines', room: 'conformance', what: "Alice's conformance room (reused; the adapter is the new part)" } },
  ],
  swim: [
    { step: 'Everything the hybrid needs (finish the SWIM stubs, wire the proxy)', basis: { kind: 'inferno-lines', lines: swimLines, what: 'all of swim*.rs' } },
    { step: 'Make every backend and the governator a SWIM member, and route from the SWIM view instead of registrations', basis: { kind: 'alice-lines', room: 'impl/swim', what: "Alice's SWIM core, the size of the member logic to match" } },
  ],
  'majority-mesh': [
    { step: 'Add re-announcement to every peer and backends holding full membership (what the docs describe), then the resolver callers that do not exist today', basis: { kind: 'alice-lines', room: 'impl/majority', what: "Alice's majority core" } },
  ],
  'majority-hardened': [
    { step: 'The majority-mesh steps plus versioned self-sovereign records', basis: { kind: 'alice-lines', room: 'impl/majority', what: "Alice's majority core" } },
  ],
};

/** Engineer-days for a number of lines at the assumed rate. */
export function daysFor(lines: number): { low: number; high: number } {
  return { low: Math.ceil(lines / RATE.high), high: Math.ceil(lines / RATE.low) };
}
