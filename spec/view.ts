/**
 * The protocol-independent View: what one node believes about each member it knows. Every property is
 * written over Views, so the same property is checked against both protocols.
 */
import type { NodeId, NodeInfo } from './node.js';
import { samePeerFields } from './node.js';
import { toWireSeconds } from './json.js';

export const MEMBER_STATUSES = ['alive', 'suspect', 'dead', 'left'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface MemberView {
  readonly status: MemberStatus;
  /**
   * The protocol's version of this member's record: SWIM's incarnation, the majority system's update
   * version. Comparable only between records of the same member in the same protocol.
   */
  readonly version: number;
  readonly info: NodeInfo;
}

export interface View {
  readonly self: NodeId;
  /** Every member this node knows, itself included, keyed by id. */
  readonly members: Readonly<Record<NodeId, MemberView>>;
}

/** A member is "present" in a view unless it is absent, dead or left. */
export function isPresent(view: View, id: NodeId): boolean {
  const m = view.members[id];
  return m !== undefined && (m.status === 'alive' || m.status === 'suspect');
}

/**
 * Equality of two records as the wire can carry them: Inferno's JSON keeps whole seconds and drops
 * capabilities from PeerInfo, so two records equal at that precision are the same announcement.
 */
export function sameAtWirePrecision(a: NodeInfo, b: NodeInfo): boolean {
  return samePeerFields(a, b) && toWireSeconds(a.lastUpdated) === toWireSeconds(b.lastUpdated);
}

export function sameMemberView(a: MemberView | undefined, b: MemberView | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.status === b.status && sameAtWirePrecision(a.info, b.info);
}
