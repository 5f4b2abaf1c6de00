/**
 * The agent's lifecycle, independent of which core it runs: start the node, optionally serve the
 * discovery API, print every membership event as one JSON line on stdout, and leave gracefully on
 * SIGINT/SIGTERM (or after --exit-after). Kept apart from the commander wiring so `alice cluster`
 * runs several agents in one process with the same code.
 */
import type { MemberEventName, MemberEvents } from '../../impl/swim/node.js';
import { DiscoveryHttpServer, type DiscoverySource } from '../../impl/swim/http.js';
import { encodeNodeInfo } from '../../spec/json.js';
import type { NodeInfo } from '../../spec/node.js';

/** What the agent needs from a node (a SWIM DiscoveryNode provides it). */
export interface AgentNode extends DiscoverySource {
  readonly id: string;
  start(): Promise<void>;
  leave(): Promise<void>;
  onAny(listener: (name: MemberEventName, event: MemberEvents[MemberEventName]) => void): () => void;
}

/** One membership event as the JSON line the agent prints. */
export function eventLine(node: string, name: MemberEventName, event: MemberEvents[MemberEventName], at: number): string {
  const info = (event as { info?: NodeInfo }).info;
  const reason = (event as { reason?: string }).reason;
  return JSON.stringify({
    ts: new Date(at).toISOString(),
    node,
    event: name,
    member: event.member,
    ...(info ? { info: encodeNodeInfo(info) } : {}),
    ...(reason !== undefined ? { reason } : {}),
  });
}

export interface RunningAgent {
  readonly node: AgentNode;
  readonly http?: DiscoveryHttpServer;
  /** Leaves gracefully and closes the HTTP server. Idempotent. */
  stop(): Promise<void>;
}

export async function startAgent(
  node: AgentNode,
  options: { readonly http?: string; readonly allowRemote?: boolean; readonly write: (line: string) => void; readonly now?: () => number },
): Promise<RunningAgent> {
  const now = options.now ?? (() => Date.now());
  node.onAny((name, event) => options.write(eventLine(node.id, name, event, now())));
  await node.start();
  let http: DiscoveryHttpServer | undefined;
  if (options.http !== undefined) {
    // --allow-remote covers the HTTP API too: an agent bound to an interface's address (a host, a
    // network namespace) must serve its metrics where a poller outside its loopback can reach them.
    http = new DiscoveryHttpServer(node, { listen: options.http, ...(options.allowRemote ? { allowRemote: true } : {}) });
    try {
      await http.start();
    } catch (e) {
      await node.leave();
      throw e;
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    node,
    ...(http ? { http } : {}),
    stop: () => {
      stopping ??= (async () => {
        await node.leave();
        await http?.close();
      })();
      return stopping;
    },
  };
}

/**
 * Runs until SIGINT/SIGTERM or `exitAfterSeconds`, then leaves gracefully. Resolves with the exit code.
 */
export function runUntilSignalled(agent: RunningAgent, write: (line: string) => void, exitAfterSeconds?: number): Promise<number> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
      void agent.stop().then(() => {
        write(JSON.stringify({ ts: new Date().toISOString(), node: agent.node.id, event: 'stopped', reason: why }));
        resolve(0);
      });
    };
    const onInt = () => finish('SIGINT');
    const onTerm = () => finish('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (exitAfterSeconds !== undefined) timer = setTimeout(() => finish('exit-after'), exitAfterSeconds * 1000);
  });
}
