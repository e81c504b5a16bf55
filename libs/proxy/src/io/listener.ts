import { createServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { TandemError, listenAddressKey, type ListenAddress } from '@tandem/core';
import type { BindConfig, TlsBindOptions } from '@tandem/config';
import type { ListeningServer, ProxySocket } from './socket.types.js';

/** The key a reload compares: same address and same TLS material means the listening socket is kept. */
export function bindKey(bind: BindConfig): string {
  const base = listenAddressKey(bind.address);
  if (!bind.tls) return base;
  const h = createHash('sha256');
  for (const pem of bind.tls.pems) h.update(pem);
  h.update(JSON.stringify([bind.tls.ciphers, bind.tls.ciphersuites, bind.tls.alpn, bind.tls.minVersion, bind.tls.maxVersion]));
  return `${base} ssl:${h.digest('hex').slice(0, 16)}`;
}

/** ALPN: only HTTP/1.x is served (HTTP/2 is a later issue), so h2 is never negotiated. */
export function servedAlpn(alpn: readonly string[] | undefined): string[] | undefined {
  if (!alpn) return undefined;
  const served = alpn.filter((p) => p === 'http/1.1' || p === 'http/1.0');
  return served.length > 0 ? served : undefined;
}

function tlsOptions(tls: TlsBindOptions) {
  return {
    // One PEM holds certificate, chain and key: the same buffer is given as cert and key.
    cert: [...tls.pems],
    key: [...tls.pems],
    ...(tls.ciphers ? { ciphers: tls.ciphers } : {}),
    ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
    ...(servedAlpn(tls.alpn) ? { ALPNProtocols: servedAlpn(tls.alpn) } : {}),
  };
}

export interface OpenListener {
  readonly key: string;
  readonly server: ListeningServer;
  close(): Promise<void>;
}

/**
 * Opens one listening socket: inet v4/v6 (`*` = every address), unix (a stale socket file is removed first) or an
 * inherited `fd@<n>`. TLS binds terminate TLS with node:tls. Rejects with a TandemError naming the bind's file:line.
 */
export async function openListener(bind: BindConfig, onConnection: (socket: ProxySocket) => void): Promise<OpenListener> {
  const key = bindKey(bind);
  const server: ListeningServer = bind.tls
    ? createTlsServer({ ...tlsOptions(bind.tls), allowHalfOpen: true }, (s: TLSSocket) => onConnection(s as unknown as Socket))
    : createServer({ noDelay: true, allowHalfOpen: true }, onConnection);
  if (bind.tls) {
    // Handshake failures are counted by nobody yet; they must never crash the process.
    server.on('tlsClientError', (_err: Error, socket: TLSSocket) => socket.destroy());
  }
  const address: ListenAddress = bind.address;
  try {
    if (address.kind === 'unix') await removeStaleSocket(address.path);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.removeListener('error', reject);
        resolve();
      };
      if (address.kind === 'inet') {
        const host = address.host === '*' || address.host === '' || address.host === '0.0.0.0' && address.family === 0 ? undefined : address.host;
        server.listen({ port: address.port, host, backlog: 1024 }, done);
      } else if (address.kind === 'unix') server.listen({ path: address.path }, done);
      else server.listen({ fd: address.fd }, done);
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TandemError(
      `proxy.bind.${(e.code ?? 'failed').toLowerCase()}`,
      'proxy',
      `${bind.source.file}:${bind.source.line}: cannot bind ${listenAddressKey(address)}: ${e.message}`,
      { cause: err, retry: e.code === 'EADDRINUSE' },
    );
  }
  server.on('error', () => undefined);
  return {
    key,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function removeStaleSocket(path: string): Promise<void> {
  try {
    const st = await stat(path);
    if (st.isSocket()) await rm(path, { force: true });
  } catch {
    // absent: nothing to remove
  }
}

/** The local port of a listener (tests bind port 0). */
export function listenerPort(listener: OpenListener): number {
  const a = listener.server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}
