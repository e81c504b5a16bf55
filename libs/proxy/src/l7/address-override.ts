import type { ProxySocket } from '../io/socket.types.js';

/**
 * The addresses `http-request set-src|set-src-port|set-dst|set-dst-port` gave a client connection. HAProxy rewrites
 * the connection's own addresses, so the later rules and requests of the connection and its log line (`%ci`, `%cp`,
 * `%fi`, `%fp`) see them; the socket itself cannot change, so they are kept beside it.
 */
export interface ConnectionAddresses {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

/**
 * Kept on the socket under a symbol rather than in a WeakMap: every request of a policy frontend asks, and a
 * property load costs a fraction of a WeakMap lookup (which showed in the policy benchmark's profile).
 */
const OVERRIDE: unique symbol = Symbol('tandem.addresses');
type WithOverride = ProxySocket & { [OVERRIDE]?: ConnectionAddresses };

/** The rewritten addresses of a connection, or undefined when no rule changed them. */
export function addressesOf(client: ProxySocket): ConnectionAddresses | undefined {
  return (client as WithOverride)[OVERRIDE];
}

/** After a rule set ran on `view`: keeps its addresses for the connection when a set-src/set-dst rule ran. */
export function keepAddresses(client: ProxySocket | undefined, view: ConnectionAddresses & { readonly txn?: { readonly addressesSet?: boolean } }): void {
  if (!client || !view.txn?.addressesSet) return;
  (client as WithOverride)[OVERRIDE] = { src: view.src, srcPort: view.srcPort, dst: view.dst, dstPort: view.dstPort };
}
