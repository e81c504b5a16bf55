import type { BackendLoad, TlsDetails } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';

/**
 * What the state and TLS fetches (`connslots`, `queue`, `avg_queue`, `be_sess_rate`, `srv_is_up`,
 * `ssl_fc_protocol`…) read, computed only when a fetch asks: the request view carries these functions, never
 * their results, so a request whose rules do not use them pays nothing.
 */

interface TlsLike {
  encrypted?: boolean;
  servername?: string | false;
  alpnProtocol?: string | false;
  getProtocol?(): string | null;
  getCipher?(): { name: string } | undefined;
  getPeerCertificate?(): { raw?: Buffer } | null;
}

export function tlsDetailsOf(client: ProxySocket): TlsDetails | undefined {
  const t = client as unknown as TlsLike;
  if (t.encrypted !== true) return undefined;
  const cert = t.getPeerCertificate?.();
  return {
    protocol: t.getProtocol?.() ?? undefined,
    cipher: t.getCipher?.()?.name,
    alpn: typeof t.alpnProtocol === 'string' ? t.alpnProtocol : undefined,
    clientCert: cert !== null && cert !== undefined && cert.raw !== undefined,
    sni: typeof t.servername === 'string' ? t.servername : undefined,
  };
}

/**
 * HAProxy's figures of a backend: queued requests (backend queue and server queues), usable servers, and
 * `connslots`' free slots: over every server not down (backups included), maxconn − current + maxqueue − its own
 * queue. Only server queues count there, as in HAProxy (a request without persistence waits in the backend queue);
 * a counted server without maxconn or maxqueue makes it unlimited, which HAProxy reports as -1.
 */
export function backendLoadOf(be: BackendRuntime): BackendLoad {
  let queued = be.queue.length;
  let active = 0;
  let backup = 0;
  let free: number | undefined = 0;
  for (const s of be.servers) {
    queued += s.queue.length;
    if (s.inRotation) s.backup ? backup++ : active++;
    if (s.state !== 'up' && s.state !== 'drain') continue;
    const max = s.effectiveMaxconn;
    const maxq = s.config.maxqueue;
    if (!max || !maxq) free = undefined;
    else if (free !== undefined) free += max - s.counters.current + maxq - s.queue.length;
  }
  const counters = be.counters;
  return { queued, usable: active || backup, freeSlots: free, sessRate: be.config.mode === 'http' ? counters.reqRate.value : counters.connRate.value };
}

/** `srv_is_up`: the server is UP (admin and health), whatever its weight. */
export function serverUpIn(be: BackendRuntime | undefined, server: string): boolean | undefined {
  const s = be?.servers.find((x) => x.name === server);
  return s ? s.state === 'up' : undefined;
}
