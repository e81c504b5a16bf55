import type { LogContext } from './log-format.js';
import type { LogFlags } from '@tandem/config';
import type { TrafficLogRecord } from './log-record.types.js';

import { gmtDate, localDate, logDate, printCaptures, type LogValue } from '@tandem/config';

/**
 * The log-format variables (HAProxy configuration.txt 8.2.4, the table of `%` variables), one small reader each.
 * A reader returns a typed value (LogValue, shared with rule values through @tandem/config); the renderer applies
 * the flags (Q quotes strings, X prints hex).
 */
export type { LogValue };

type Reader = (r: TrafficLogRecord, ctx: LogContext, flags: LogFlags) => LogValue;

const str = (text: string | undefined): LogValue => ({ kind: 'string', text });
const num = (value: number, hexWidth?: number): LogValue => ({ kind: 'number', value, ...(hexWidth ? { hexWidth } : {}) });
const raw = (text: string): LogValue => ({ kind: 'raw', text });
const ip = (text: string | undefined): LogValue => (text ? { kind: 'ip', text } : str(undefined));
const port = (value: number | undefined): LogValue => (value !== undefined ? { kind: 'port', value } : str(undefined));
const EMPTY: LogValue = { kind: 'empty' };

export { logDate, gmtDate, localDate };

const sum = (...values: number[]) => (values.some((v) => v < 0) ? -1 : values.reduce((a, b) => a + b, 0));

function requestLine(r: TrafficLogRecord): string | undefined {
  if (r.mode !== 'http') return undefined;
  if (!r.method) return '<BADREQ>';
  return `${r.method} ${r.uri ?? ''} ${r.version ?? ''}`.trimEnd();
}

function splitUri(r: TrafficLogRecord): { path: string; query: string } | undefined {
  if (r.uri === undefined) return undefined;
  const q = r.uri.indexOf('?');
  return q < 0 ? { path: r.uri, query: '' } : { path: r.uri.slice(0, q), query: r.uri.slice(q) };
}

export const VARIABLES: Readonly<Record<string, Reader>> = {
  // client, frontend, backend and server addresses
  ci: (r) => ip(r.clientIp),
  cp: (r) => port(r.clientPort),
  fi: (r) => ip(r.frontendIp),
  fp: (r) => port(r.frontendPort),
  bi: () => str(undefined),
  bp: () => str(undefined),
  si: (r) => ip(r.serverIp),
  sp: (r) => port(r.serverPort),
  // names
  f: (r) => str(r.frontend),
  ft: (r) => str(r.frontendTls ? `${r.frontend}~` : r.frontend),
  b: (r) => str(r.backend ?? r.frontend),
  s: (r) => str(r.server ?? '<NOSRV>'),
  H: (_r, ctx) => str(ctx.process.hostname),
  // HAProxy prints %pid and %rt on 4 hex digits under X (the usual unique-id-format relies on it).
  pid: (_r, ctx) => num(ctx.process.pid, 4),
  ID: (r) => str(r.uniqueId),
  // dates
  t: (r) => raw(logDate(r.acceptDate)),
  tr: (r) => raw(logDate(r.requestDate)),
  trg: (r) => raw(gmtDate(r.requestDate)),
  trl: (r) => raw(localDate(r.requestDate)),
  T: (r) => raw(gmtDate(r.acceptDate)),
  Tl: (r) => raw(localDate(r.acceptDate)),
  Ts: (r) => num(Math.floor(r.acceptDate / 1000)),
  ms: (r) => raw(String(r.acceptDate % 1000).padStart(3, '0')),
  // timers
  Th: (r) => num(r.Th),
  Ti: (r) => num(r.Ti),
  TR: (r) => num(r.TR),
  Tq: (r) => num(sum(r.Th, r.Ti, r.TR)),
  Tw: (r) => num(r.Tw),
  Tc: (r) => num(r.Tc),
  Tr: (r) => num(r.Tr),
  Ta: (r) => num(r.Ta),
  Tt: (r) => num(r.Tt),
  Tu: (r) => num(r.Tt < 0 || r.Ti < 0 ? -1 : r.Tt - r.Ti),
  Td: (r) => num(r.Tt < 0 ? -1 : sum(r.Th, r.Ti, r.TR, r.Tw, r.Tc, r.Tr) < 0 ? -1 : r.Tt - sum(r.Th, r.Ti, r.TR, r.Tw, r.Tc, r.Tr)),
  // outcome
  ST: (r) => num(r.status),
  B: (r) => num(r.bytesRead),
  U: (r) => num(r.bytesUploaded),
  ts: (r) => str(r.termination),
  tsc: (r) => str(r.mode === 'http' ? `${r.termination}--` : r.termination),
  ac: (r) => num(r.actconn),
  fc: (r) => num(r.feconn),
  bc: (r) => num(r.beconn),
  sc: (r) => num(r.srvconn),
  rc: (r) => raw(r.redispatched ? `+${r.retries}` : String(r.retries)),
  sq: (r) => num(r.srvQueue),
  bq: (r) => num(r.beQueue),
  rt: (r) => num(r.requestCounter ?? 0, 4),
  // captures: `capture request|response header` and capture rules fill the slots; cookies are not captured
  CC: (r) => (r.mode === 'http' ? str(undefined) : EMPTY),
  CS: (r) => (r.mode === 'http' ? str(undefined) : EMPTY),
  hr: (r, _c, f) => (r.mode === 'http' ? printCaptures(r.requestCaptures, false, f) : EMPTY),
  hs: (r, _c, f) => (r.mode === 'http' ? printCaptures(r.responseCaptures, false, f) : EMPTY),
  hrl: (r, _c, f) => (r.mode === 'http' ? printCaptures(r.requestCaptures, true, f) : EMPTY),
  hsl: (r, _c, f) => (r.mode === 'http' ? printCaptures(r.responseCaptures, true, f) : EMPTY),
  // request
  r: (r) => (r.mode === 'http' ? str(requestLine(r)) : EMPTY),
  HM: (r) => str(r.method),
  HU: (r) => str(r.uri),
  HP: (r) => str(splitUri(r)?.path),
  HQ: (r) => str(splitUri(r)?.query),
  HV: (r) => str(r.version),
  sslc: () => str(undefined),
  sslv: () => str(undefined),
};
