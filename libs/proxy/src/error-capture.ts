import type { TrafficCounters } from './counters.js';

/**
 * `show errors` (issue #5): the last invalid request of each frontend and the last invalid response of each
 * backend, as HAProxy keeps them (one snapshot per proxy and direction, a new one replaces the old). The bytes are
 * copied, at most `tune.bufsize`, so memory is bounded by two buffers per proxy.
 *
 * Snapshots hang off the proxy's TrafficCounters (kept per name across hitless reloads), so no runtime object
 * changes shape and a reload does not forget the last error.
 */
export interface ErrorSnapshot {
  /** HAProxy's global event number (`event #N`). */
  readonly event: number;
  /** Wall-clock ms of the capture. */
  readonly at: number;
  readonly direction: 'request' | 'response';
  /** The proxy that saw it: a frontend for requests, a backend for responses. */
  readonly proxy: string;
  /** The other side: the backend (requests; undefined when none was chosen yet) or the frontend (responses). */
  readonly peer: string | undefined;
  readonly server: string | undefined;
  readonly serverId: number | undefined;
  readonly src: string;
  readonly sessionId: number;
  /** Why the parser refused it. */
  readonly reason: string;
  /** Bytes received before the capture (in the whole message), and the copy (capped). */
  readonly length: number;
  readonly bytes: Buffer;
  /** Where the refused part begins, when the parser knows it; -1 otherwise. */
  readonly position: number;
}

const requests = new WeakMap<TrafficCounters, ErrorSnapshot>();
const responses = new WeakMap<TrafficCounters, ErrorSnapshot>();
let events = 0;
/** tune.bufsize's default; the data plane's frontends pass their own. */
export const DEFAULT_CAPTURE_LIMIT = 16384;

export type CaptureInput = Omit<ErrorSnapshot, 'event' | 'at' | 'bytes' | 'length' | 'position'> & { readonly data: Buffer; readonly position?: number };

/** Records `input` as its proxy's last error of that direction; `counters` identifies the proxy. */
export function captureError(counters: TrafficCounters, input: CaptureInput, limit = DEFAULT_CAPTURE_LIMIT, now = Date.now()): ErrorSnapshot {
  const { data, position, ...rest } = input;
  const copy = Buffer.from(data.subarray(0, Math.max(0, limit)));
  const snapshot: ErrorSnapshot = { ...rest, event: events++, at: now, length: data.length, bytes: copy, position: position ?? -1 };
  (input.direction === 'request' ? requests : responses).set(counters, snapshot);
  return snapshot;
}

export function lastError(counters: TrafficCounters, direction: 'request' | 'response'): ErrorSnapshot | undefined {
  return (direction === 'request' ? requests : responses).get(counters);
}

/** `Total events captured` : every capture since start (HAProxy's error_snapshot_id). */
export function capturedEvents(): number {
  return events;
}

/** `clear counters all` does not clear snapshots in HAProxy either; tests reset them. */
export function forgetErrors(counters: TrafficCounters): void {
  requests.delete(counters);
  responses.delete(counters);
}

/** The client's `ip:port` as HAProxy prints a source (IPv6 without brackets, as it does). */
function source(client: { readonly remoteAddress?: string | undefined; readonly remotePort?: number | undefined }): string {
  const ip = client.remoteAddress?.startsWith('::ffff:') ? client.remoteAddress.slice(7) : client.remoteAddress ?? '?';
  return `${ip}:${client.remotePort ?? 0}`;
}

interface ProxyRef {
  readonly config: { readonly name: string };
  readonly counters: TrafficCounters;
}

/** A frontend refused a request (400): what the session passes when it answers so. */
export function captureRequestError(fe: ProxyRef & { readonly maxHead: number }, be: ProxyRef | undefined, client: Parameters<typeof source>[0], sessionId: number, data: Buffer, reason: string): void {
  captureError(fe.counters, { direction: 'request', proxy: fe.config.name, peer: be?.config.name, server: undefined, serverId: undefined, src: source(client), sessionId, reason, data }, Math.max(DEFAULT_CAPTURE_LIMIT, fe.maxHead));
}

/** A backend's server sent an invalid response (502, or an aborted body). */
export function captureResponseError(fe: ProxyRef & { readonly maxHead: number }, be: ProxyRef, server: { readonly name: string; readonly id: number } | undefined, client: Parameters<typeof source>[0], sessionId: number, data: Buffer, reason: string): void {
  captureError(be.counters, { direction: 'response', proxy: be.config.name, peer: fe.config.name, server: server?.name, serverId: server?.id, src: source(client), sessionId, reason, data }, Math.max(DEFAULT_CAPTURE_LIMIT, fe.maxHead));
}
