import type { ProxySocket } from '../io/socket.types.js';
import type { TrafficCounters } from '../counters.js';

/**
 * The ways an http-request rule ends a connection without an answer (HAProxy 2.6 configuration.txt 4.2):
 * `reject` closes it; `silent-drop` closes it with a TCP reset so that no FIN reaches the client (Node's
 * resetAndDestroy sends the RST; a socket it cannot reset, e.g. one already closing, is destroyed plainly).
 */
export function dropClient(client: ProxySocket | undefined, how: 'reject' | 'silent-drop'): void {
  if (!client) return;
  if (how === 'silent-drop') {
    try {
      client.resetAndDestroy();
      return;
    } catch {
      // Fall through: the socket has no TCP handle left to reset.
    }
  }
  client.destroy();
}

/** HAProxy's denied_req (`dreq`): deny, tarpit and reject count on the frontend and, for a backend's rule, the backend. */
export function countDeniedRequest(fe: TrafficCounters, be: TrafficCounters | undefined): void {
  fe.deniedRequests++;
  if (be) be.deniedRequests++;
}
