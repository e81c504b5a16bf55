import type { ProxySocket } from '../io/socket.types.js';

/**
 * `http-request early-hint <name> <fmt>` (HAProxy 2.6): the headers the rules gathered go to the client as one
 * `103 Early Hints` interim response before the request is forwarded (or answered). The policy gathers them only
 * for HTTP/1.1 clients (request-actions-more.ts), as HAProxy does; nothing is written on a closed connection.
 */
export function sendEarlyHints(client: ProxySocket, hints: ReadonlyArray<readonly [string, string]>): void {
  if (client.destroyed) return;
  let head = 'HTTP/1.1 103 Early Hints\r\n';
  for (const [name, value] of hints) head += `${name}: ${value}\r\n`;
  client.write(Buffer.from(`${head}\r\n`, 'latin1'));
}
