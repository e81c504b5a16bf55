import { connect } from 'node:net';
import type { ServerEndpoint } from '@tandem/core';
import type { ProxySocket } from './socket.types.js';

export type ConnectOutcome = { readonly ok: true; readonly socket: ProxySocket } | { readonly ok: false; readonly reason: 'refused' | 'timeout' | 'error'; readonly message: string };

/**
 * Opens a TCP connection to a server, bounded by `timeout connect`. The socket always has an error handler; the
 * caller installs its own before this one is removed. Never rejects.
 */
export function connectServer(endpoint: ServerEndpoint, timeoutMs: number | undefined, callback: (outcome: ConnectOutcome) => void): ProxySocket {
  const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true, allowHalfOpen: true });
  let settled = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (settled) return;
    settled = true;
    socket.destroy();
    callback({ ok: false, reason: err.code === 'ECONNREFUSED' ? 'refused' : 'error', message: err.message });
  };
  socket.on('error', onError);
  if (timeoutMs !== undefined && timeoutMs > 0) {
    socket.setTimeout(timeoutMs, () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      callback({ ok: false, reason: 'timeout', message: `connect timeout after ${timeoutMs} ms` });
    });
  }
  socket.once('connect', () => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.removeListener('error', onError);
    callback({ ok: true, socket });
  });
  return socket;
}
