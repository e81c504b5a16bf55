import { hostname } from 'node:os';
import type { FrontendConfig } from '@tandem/config';
import { addHeader, compileLogFormat, txnOf, uniqueIdOf, type HeaderList, type RequestView, type TextEval, type TxnInfo } from '@tandem/policy';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { FrontendRuntime } from '../runtime.types.js';
import type { RequestHead } from './wire/http-head.types.js';
import type { RoutedRequest } from './policy-runtime.js';
import { logsSamples } from '../log/log-samples.js';

/**
 * Per-transaction facts for log-format values in rules (TxnInfo), header captures and the unique ID
 * (configuration.txt 4.2 `capture request|response header`, `unique-id-format`, `unique-id-header`), kept out of
 * the HTTP session: it calls txnInfo() when it builds a request view, routeRequest and applyResponseRules capture.
 */

/** HAProxy's global request counter (`%rt`): one per HTTP transaction of the process. */
let requestCounter = 0;
export function nextRequestCounter(): number {
  return requestCounter++;
}

const HOSTNAME = hostname();

/** A frontend's `unique-id-format`, compiled once per config generation. */
const uniqueIdFormats = new WeakMap<FrontendConfig, TextEval | null>();
function uniqueIdFormat(f: FrontendConfig): TextEval | undefined {
  let c = uniqueIdFormats.get(f);
  if (c === undefined) uniqueIdFormats.set(f, (c = f.uniqueId ? compileLogFormat(f.uniqueId.format) : null));
  return c ?? undefined;
}

/** A frontend that captures headers, generates unique IDs or logs `%[…]` needs a request view even without rules. */
export function needsTxnView(f: FrontendConfig): boolean {
  return f.uniqueId !== undefined || (f.captures !== undefined && (f.captures.request.length > 0 || f.captures.response.length > 0)) || logsSamples(f);
}

/** Dates and counter of the transaction: the log tap's when the frontend logs (so `%t`/`%rt` agree with the log). */
export interface TxnStamp {
  readonly acceptDate: number;
  readonly requestDate: number;
  readonly requestCounter: number;
}

export function txnInfo(fe: FrontendRuntime, client: ProxySocket, req: RequestHead, stamp: TxnStamp | undefined, backend: () => BackendRuntime | undefined, server: () => ServerRuntime | undefined): TxnInfo {
  const now = fe.clock.wallTime();
  const format = uniqueIdFormat(fe.config);
  return {
    frontend: fe.config.name,
    frontendTls: 'encrypted' in client,
    backend: () => backend()?.config.name,
    server: () => {
      const s = server();
      return s ? { name: s.name, ip: s.config.endpoint.host, port: s.config.endpoint.port } : undefined;
    },
    acceptDate: stamp?.acceptDate ?? now,
    requestDate: stamp?.requestDate ?? now,
    requestCounter: stamp?.requestCounter ?? nextRequestCounter(),
    pid: process.pid,
    hostname: HOSTNAME,
    method: req.method,
    uri: req.uri,
    version: `HTTP/1.${req.minor}`,
    ...(fe.config.captures ? { captures: fe.config.captures } : {}),
    ...(format ? { uniqueIdFormat: format } : {}),
  };
}

/** The last field `name` of a header list (HAProxy keeps the last occurrence in a capture slot). */
function lastValue(h: HeaderList, name: string): string | undefined {
  for (let i = h.names.length - 1; i >= 0; i--) if (h.names[i] === name) return h.values[i];
  return undefined;
}

/**
 * `capture request|response header`: the slot gets the field's value truncated to its length, before any rule
 * runs (HAProxy captures what it received, before rewrites).
 */
export function captureHeaders(view: RequestView, fe: FrontendConfig, side: 'request' | 'response', headers: HeaderList): void {
  const slots = fe.captures?.[side];
  if (!slots?.length) return;
  const txn = txnOf(view);
  const out = side === 'request' ? txn.reqCaptures : txn.resCaptures;
  slots.forEach((slot, i) => {
    if (slot.header === undefined) return;
    const v = lastValue(headers, slot.header);
    if (v !== undefined) out[i] = v.slice(0, slot.len);
  });
}

/**
 * After the request rules (HAProxy's http_process_request): the unique ID is generated if no rule did, and
 * `unique-id-header` is appended to the request forwarded.
 */
export function withUniqueId(routed: RoutedRequest, view: RequestView, fe: FrontendConfig): RoutedRequest {
  if (!fe.uniqueId) return routed;
  const id = uniqueIdOf(view) ?? '';
  if (routed.kind !== 'forward' || !fe.uniqueId.header) return routed;
  const h = routed.req.headers;
  const headers: HeaderList = { names: [...h.names], rawNames: [...h.rawNames], values: [...h.values] };
  addHeader(headers, fe.uniqueId.header, id);
  return { ...routed, req: { ...routed.req, headers } };
}

/** What the log record takes from a transaction: its unique ID and its capture slots (one entry per slot). */
export function txnLogFields(view: RequestView | undefined, fe: FrontendConfig): { uniqueId?: string; requestCaptures?: (string | undefined)[]; responseCaptures?: (string | undefined)[] } {
  const c = fe.captures;
  const txn = view ? txnOf(view) : undefined;
  const slots = (n: number, values: readonly (string | undefined)[] | undefined) => Array.from({ length: n }, (_, i) => values?.[i]);
  const id = view && fe.uniqueId ? uniqueIdOf(view) : undefined;
  return {
    ...(id !== undefined ? { uniqueId: id } : {}),
    ...(c?.request.length ? { requestCaptures: slots(c.request.length, txn?.reqCaptures) } : {}),
    ...(c?.response.length ? { responseCaptures: slots(c.response.length, txn?.resCaptures) } : {}),
  };
}
