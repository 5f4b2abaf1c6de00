/**
 * An in-memory network for runtimes in one process: tests and examples wire nodes together without
 * sockets. Delivery is asynchronous (a microtask, or a timer when a delay is given) so the order of
 * effects resembles a real network's; an optional drop filter models loss.
 */
import type { NodeId } from '../../spec/node.js';
import type { Transport } from './types.js';

export interface MemoryNetworkOptions<M> {
  /** Return true to drop the message (loss, partitions). Default: deliver everything. */
  readonly drop?: (from: NodeId, to: NodeId, message: M) => boolean;
}

export class MemoryNetwork<M> {
  private readonly handlers = new Map<NodeId, (from: NodeId, message: M) => void>();
  sent = 0;
  delivered = 0;

  constructor(private readonly options: MemoryNetworkOptions<M> = {}) {}

  transport(id: NodeId): Transport<M> {
    return {
      start: async (deliver) => {
        this.handlers.set(id, deliver);
      },
      send: (to, message) => {
        this.sent++;
        if (this.options.drop?.(id, to, message)) return;
        queueMicrotask(() => {
          const h = this.handlers.get(to);
          if (h === undefined) return;
          this.delivered++;
          h(id, message);
        });
      },
      close: async () => {
        this.handlers.delete(id);
      },
    };
  }
}
