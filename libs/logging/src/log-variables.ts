import type { LogContext } from './log-format.js';
import type { TrafficLogRecord } from './log-record.types.js';

/**
 * The log-format variables (HAProxy configuration.txt 8.2.4, the table of `%` variables), one small reader each.
 * A reader returns a typed value; the renderer applies the flags (Q quotes strings, X prints hex).
 */
export type LogValue =
  | { readonly kind: 'string'; readonly text: string | undefined }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ip'; readonly text: string }
  | { readonly kind: 'port'; readonly value: number }
  /** Printed as is, never quoted (dates, `%rc` with its `+`). */
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'empty' };

type Reader = (r: TrafficLogRecord, ctx: LogContext) => LogValue;

const str = (text: string | undefined): LogValue => ({ kind: 'string', text });
const num = (value: number): LogValue => ({ kind: 'number', value });
const raw = (text: string): LogValue => ({ kind: 'raw', text });
const ip = (text: string | undefined): LogValue => (text ? { kind: 'ip', text } : str(undefined));
const port = (value: number | undefined): LogValue => (value !== undefined ? { kind: 'port', value } : str(undefined));
const EMPTY: LogValue = { kind: 'empty' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `06/Feb/2009:12:14:14.655`, local time (HAProxy's `%t` and `%tr`). */
export function logDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `10/Oct/2000:13:55:36 +0000` (`%T`, `%trg`). */
export function gmtDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** `10/Oct/2000:15:55:36 +0200` (`%Tl`, `%trl`). */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${sign}${p2((a / 60) | 0)}${p2(a % 60)}`;
}

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
  pid: (_r, ctx) => num(ctx.process.pid),
  ID: () => str(undefined),
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
  rt: (r) => num(r.requestCounter ?? 0),
  // captures: Tandem captures nothing yet (`capture` is issue #6), so they print as HAProxy's do without captures
  CC: (r) => (r.mode === 'http' ? str(undefined) : EMPTY),
  CS: (r) => (r.mode === 'http' ? str(undefined) : EMPTY),
  hr: () => EMPTY,
  hs: () => EMPTY,
  hrl: () => EMPTY,
  hsl: () => EMPTY,
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
