/**
 * Deliberate bugs in the implementations, each one a plausible slip in the protocol's rules. The
 * conformance suites must fail on every one (`npm run mutation`). A mutation is an exact-text
 * replacement in one file; the runner refuses to run one whose text no longer occurs exactly once, so
 * the list cannot silently go stale as the implementations change.
 */
export interface Mutation {
  readonly id: string;
  readonly protocol: string;
  /** Path from the project root. */
  readonly file: string;
  /** What the bug breaks, in the protocol's terms. */
  readonly bug: string;
  readonly find: string;
  readonly replace: string;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    id: 'majority-threshold-off-by-one',
    protocol: 'majority',
    file: 'impl/majority/resolver.ts',
    bug: 'majority threshold floor(R/2) instead of floor(R/2)+1: half the responses count as a majority',
    find: 'const threshold = Math.floor(responses.length / 2) + 1;',
    replace: 'const threshold = Math.floor(responses.length / 2);',
  },
  {
    id: 'majority-ignore-timestamp-tie-break',
    protocol: 'majority',
    file: 'impl/majority/resolver.ts',
    bug: 'without a majority, the first version wins instead of the newest lastUpdated (the tie-break is ignored)',
    find: 'for (let i = 1; i < versions.length; i++) if (versions[i].newest.lastUpdated > best.lastUpdated) best = versions[i].newest;',
    replace: 'for (let i = 1; i < versions.length; i++) if (versions[i].newest.lastUpdated > Infinity) best = versions[i].newest;',
  },
  {
    id: 'majority-oldest-within-version',
    protocol: 'majority',
    file: 'impl/majority/resolver.ts',
    bug: 'within the winning version the oldest entry is kept instead of the newest',
    find: 'if (entry.lastUpdated > v.newest.lastUpdated) v.newest = entry;',
    replace: 'if (entry.lastUpdated < v.newest.lastUpdated) v.newest = entry;',
  },
  {
    id: 'majority-accept-equal-update-version',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'an update with the same version as the one held replaces it (versions must strictly increase)',
    find: 'const next = !existing || message.version > existing.version ? store(',
    replace: 'const next = !existing || message.version >= existing.version ? store(',
  },
  {
    id: 'majority-register-for-another-node',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'a node may register a record for another node (self-sovereignty check dropped)',
    find: 'if (message.info.id !== from) {',
    replace: 'if (message.info.id !== message.info.id) {',
  },
  {
    id: 'majority-ignore-current-ack',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'an acknowledgement of the current update version is ignored, so retries never stop early',
    find: 'message.version < p.version',
    replace: 'message.version <= p.version',
  },
  {
    id: 'majority-one-retry-too-many',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'update retries stop one attempt after maxUpdateRetries',
    find: 'if (!p || p.attempt >= cfg.maxUpdateRetries)',
    replace: 'if (!p || p.attempt > cfg.maxUpdateRetries)',
  },
  {
    id: 'majority-keep-not-ready-backend',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'a backend that reports ready: false is not removed by the load balancer',
    find: "return { state: message.vitals.ready ? next : remove(next, from, 'not ready', outputs), outputs };",
    replace: 'return { state: next, outputs };',
  },
  {
    id: 'majority-resolve-before-last-reply',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'registration resolves when one reply is still awaited',
    find: 'if (registration.awaiting.length > 0) return',
    replace: 'if (registration.awaiting.length > 1) return',
  },
  {
    id: 'majority-crash-keeps-peers',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 'a crash keeps the peer table (volatile state survives a process death)',
    find: "phase: 'crashed', peers: {},",
    replace: "phase: 'crashed',",
  },
  {
    id: 'majority-reannounce-skips-seeds',
    protocol: 'majority',
    file: 'impl/majority/node.ts',
    bug: 're-announcement registers only with known peers, not with the configured seeds',
    find: 'sorted([...state.setup.seeds, ...Object.keys(state.peers)]',
    replace: 'sorted([...Object.keys(state.peers)]',
  },
  {
    id: 'swim-accept-alive-equal-incarnation',
    protocol: 'swim',
    file: 'impl/swim/dissemination.ts',
    bug: 'an alive claim with the same incarnation as the record held replaces it (it must be strictly higher)',
    find: 'if (!overrides(claimOf(update), current)) {',
    replace: "if (!overrides(claimOf(update), current) && !(update.kind === 'alive' && current !== undefined && update.incarnation === current.incarnation)) {",
  },
  {
    id: 'swim-no-refutation-of-suspicion',
    protocol: 'swim',
    file: 'impl/swim/dissemination.ts',
    bug: 'a node that hears it is suspected does not refute it with a higher incarnation',
    find: '  if (next === undefined) return;',
    replace: "  if (next === undefined || update.kind === 'suspect') return;",
  },
  {
    id: 'swim-piggyback-dropped-early',
    protocol: 'swim',
    file: 'impl/swim/broadcast-queue.ts',
    bug: 'a piggybacked update is dropped one transmission before its retransmit limit',
    find: 'if (e.sent + 1 < limit) promoted.push(',
    replace: 'if (e.sent + 2 < limit) promoted.push(',
  },
  {
    id: 'swim-no-indirect-probe',
    protocol: 'swim',
    file: 'impl/swim/probe.ts',
    bug: 'a missed direct ack asks no helpers (the indirect probe is skipped)',
    find: 'const helpers = pickActive(st, s.cfg.indirectChecks, p.target, true);',
    replace: 'const helpers = pickActive(st, 0, p.target, true);',
  },
  {
    id: 'swim-no-buddy-suspicion',
    protocol: 'swim',
    file: 'impl/swim/probe.ts',
    bug: 'a probe of a suspected member does not carry its suspicion (Lifeguard buddy system)',
    find: "const buddy: MemberUpdate[] = m.status === 'suspect' ?",
    replace: "const buddy: MemberUpdate[] = m.status === 'left' ?",
  },
  {
    id: 'swim-helper-does-not-relay-ack',
    protocol: 'swim',
    file: 'impl/swim/probe.ts',
    bug: "a ping-req helper that gets the target's ack does not relay it to the requester",
    find: "st.send(relay.origin, { kind: 'ack', seq: relay.seq, updates: st.piggyback() });",
    replace: 'st.piggyback();',
  },
  {
    id: 'swim-suspicion-ignores-confirmations',
    protocol: 'swim',
    file: 'impl/swim/suspicion.ts',
    bug: 'the suspicion timeout does not shrink as independent members confirm the suspicion (Lifeguard dogpile)',
    find: 'suspicionTimeout(min, max, s.confirmers.length, expectedConfirmations(cfg, clusterSize))',
    replace: 'suspicionTimeout(min, max, 0, expectedConfirmations(cfg, clusterSize))',
  },
  {
    id: 'swim-suspect-overrides-dead',
    protocol: 'swim',
    file: 'impl/swim/dissemination.ts',
    bug: 'a suspicion at the same or a higher incarnation overrides a dead record (dead must win: no resurrection by suspicion)',
    find: 'if (!overrides(claimOf(update), current)) {',
    replace: "if (!overrides(claimOf(update), current) && !(update.kind === 'suspect' && current?.status === 'dead' && update.incarnation >= current.incarnation)) {",
  },
  {
    id: 'swim-push-pull-ignores-incarnation',
    protocol: 'swim',
    file: 'impl/swim/push-pull.ts',
    bug: 'a push-pull merge skips a record whose status it already holds, even at a higher incarnation (new metadata is lost)',
    find: 'cur.status === r.status && cur.incarnation === r.incarnation);',
    replace: 'cur.status === r.status);',
  },
  {
    id: 'swim-update-keeps-incarnation',
    protocol: 'swim',
    file: 'impl/swim/metadata.ts',
    bug: 'an operator metadata update does not raise the incarnation, so no other member accepts the new record',
    find: 's.info = patchedInfo(s.info, patch, st.now);\n  s.incarnation += 1;',
    replace: 's.info = patchedInfo(s.info, patch, st.now);',
  },
  {
    id: 'swim-nack-not-counted',
    protocol: 'swim',
    file: 'impl/swim/probe.ts',
    bug: "a helper's nack is not counted, so a failed indirect probe blames this node's health for every helper (Lifeguard)",
    find: 's.probe = { ...p, nacks: p.nacks + 1 };',
    replace: 's.probe = { ...p, nacks: p.nacks };',
  },
];
