/** Entry of a checker worker thread (see parallel.ts): loads the protocol, then serves the coordinator. */
import { workerData } from 'node:worker_threads';
import { type WorkerInit, loadProtocol } from './protocol-source.js';
import { WorkerSearch } from './worker-search.js';

const init = workerData as WorkerInit;
let done = false;
// The coordinator blocks on its ports, not on worker events, so a thread that ends without saying
// so (the model called process.exit, say) must still say it: from the exit hook.
process.on('exit', (code) => {
  if (!done) init.control.postMessage({ t: 'error', message: `the worker thread exited (code ${code}) in the middle of the search` });
});
try {
  const protocol = await loadProtocol(init.source);
  new WorkerSearch(protocol, init).serve();
} catch (e) {
  // The coordinator blocks on its ports, not on worker events: errors must come back as messages.
  init.control.postMessage({ t: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
}
done = true;
init.control.close();
for (const p of init.peers) p?.close();
