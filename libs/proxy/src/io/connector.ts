import { connect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { ServerEndpoint } from '@tandem/core';
import type { ServerTlsOptions } from '@tandem/config';
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

/**
 * A TLS client socket as HAProxy's `ssl` server option opens it: SNI only when `sni` is set; with `verify
 * required`, the chain is checked against `ca-file`, and the name against `verifyhost` (or the SNI) when given.
 */
export function openTls(endpoint: ServerEndpoint, tls: ServerTlsOptions): ProxySocket {
  const name = tls.verifyHost ?? tls.sni;
  const socket = tlsConnect({
    host: endpoint.host,
    port: endpoint.port,
    ...(tls.sni ? { servername: tls.sni } : {}),
    ...(tls.ca ? { ca: tls.ca } : {}),
    rejectUnauthorized: tls.verify === 'required',
    checkServerIdentity: (_host, cert) => (tls.verify === 'required' && name ? checkServerIdentity(name, cert) : undefined),
  });
  socket.setNoDelay(true);
  return socket;
}
