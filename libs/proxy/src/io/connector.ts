import { connect } from 'node:net';
import type { ServerEndpoint } from '@tandem/core';
import type { ServerTlsOptions } from '@tandem/config';
import { openServerSocket } from '@tandem/health';
import type { ProxySocket } from './socket.types.js';

export type ConnectOutcome = { readonly ok: true; readonly socket: ProxySocket } | { readonly ok: false; readonly reason: 'refused' | 'timeout' | 'error'; readonly message: string };

/**
 * Opens a TCP connection to a server, bounded by `timeout connect` (which covers the TLS handshake when the server
 * has `ssl`). The socket always has an error handler; the caller installs its own before this one is removed.
 * Never rejects.
 */
export function connectServer(endpoint: ServerEndpoint, timeoutMs: number | undefined, callback: (outcome: ConnectOutcome) => void, tls?: ServerTlsOptions): ProxySocket {
  const socket = tls ? openTls(endpoint, tls) : connect({ host: endpoint.host, port: endpoint.port, noDelay: true, allowHalfOpen: true });
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
  socket.once(tls ? 'secureConnect' : 'connect', () => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.removeListener('error', onError);
    callback({ ok: true, socket });
  });
  return socket;
}

/** A TLS client socket (the one place that opens them is the health lib's `openServerSocket`), with Nagle off. */
function openTls(endpoint: ServerEndpoint, tls: ServerTlsOptions): ProxySocket {
  const socket = openServerSocket(endpoint, tls);
  socket.setNoDelay(true);
  return socket;
}
