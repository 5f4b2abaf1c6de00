/** Entry of a checker worker thread (see parallel.ts): loads the protocol, then serves the coordinator. */
import { workerData } from 'node:worker_threads';
import { WorkerSearch, type WorkerInit, loadProtocol } from './parallel.js';

const init = workerData as WorkerInit;
try {
  const protocol = await loadProtocol(init.source);
  new WorkerSearch(protocol, init).serve();
} catch (e) {
  // The coordinator blocks on its ports, not on worker events: errors must come back as messages.
  init.control.postMessage({ t: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
}
init.control.close();
for (const p of init.peers) p?.close();
