/**
 * Self-sovereign metadata: a node changes its own record only by raising its incarnation. Operator
 * updates apply at once; vitals-driven health changes are rate-limited (at most one per
 * metadataMinIntervalMs, the latest held back until then) so fast-moving vitals cannot flood gossip.
 */
import type { NodeInfo, NodeVitals } from '../../spec/node.js';
import type { NodeInfoPatch } from '../../spec/step.js';
import { type HealthSummary, SWIM_TIMERS, healthSummary, sameHealth } from '../../spec/swim.js';
import { announceSelf } from './dissemination.js';
import type { Step } from './state.js';

/** The patched record, stamped with the time of the change. */
export function patchedInfo(info: NodeInfo, patch: NodeInfoPatch, now: number): NodeInfo {
  return {
    ...info,
    ...(patch.address !== undefined ? { address: patch.address } : {}),
    ...(patch.metricsPort !== undefined ? { metricsPort: patch.metricsPort } : {}),
    ...(patch.nodeType !== undefined ? { nodeType: patch.nodeType } : {}),
    ...(patch.isLoadBalancer !== undefined ? { isLoadBalancer: patch.isLoadBalancer } : {}),
    ...(patch.capabilities !== undefined ? { capabilities: [...patch.capabilities] } : {}),
    lastUpdated: now,
  };
}

export function onUpdateCommand(st: Step, patch: NodeInfoPatch): void {
  const s = st.s;
  s.info = patchedInfo(s.info, patch, st.now);
  s.incarnation += 1;
  announceSelf(st);
}

function applyHealth(st: Step, health: HealthSummary): void {
  const s = st.s;
  s.health = health;
  s.pendingHealth = null;
  s.lastMetaChange = st.now;
  s.incarnation += 1;
  announceSelf(st);
}

export function onVitals(st: Step, vitals: NodeVitals): void {
  const s = st.s;
  const h = healthSummary(vitals);
  if (sameHealth(h, s.health)) {
    s.pendingHealth = null;
    return;
  }
  const every = s.cfg.metadataMinIntervalMs;
  if (every === 0 || s.lastMetaChange === null || st.now - s.lastMetaChange >= every) {
    applyHealth(st, h);
    return;
  }
  if (s.pendingHealth === null) st.setTimer(SWIM_TIMERS.metadata, s.lastMetaChange + every - st.now);
  s.pendingHealth = h;
}

export function onMetadataTimer(st: Step): void {
  const p = st.s.pendingHealth;
  if (p && !sameHealth(p, st.s.health)) applyHealth(st, p);
}
