/**
 * The broken variant of model.ts: the server applies every request it receives, so a request the
 * client resent (its ack was only slow) is applied twice. `appliedOnce` catches it in 3 transitions.
 */
import { requestAck } from './model.js';

export default requestAck(false);
