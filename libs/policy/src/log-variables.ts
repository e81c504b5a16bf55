import { gmtDate, localDate, logDate, printCaptures, type LogFlags, type LogValue } from '@tandem/config';
import type { RequestView } from './request-view.types.js';
import { txnOf } from './txn-state.js';
import { uniqueIdOf } from './unique-id.js';

/**
 * `%<var>` log-format variables in rule values (configuration.txt 8.2.4), read from the request view with the same
 * meaning and printing as @tandem/logging's readers of a finished record: the per-request subset (@tandem/config's
 * LOG_VARIABLES lets only these through). Without the proxy's TxnInfo (unit tests) names and dates print as absent.
 */
type Reader = (view: RequestView, flags: LogFlags) => LogValue;

const str = (text: string | undefined): LogValue => ({ kind: 'string', text });
const num = (value: number, hexWidth?: number): LogValue => ({ kind: 'number', value, ...(hexWidth ? { hexWidth } : {}) });
const raw = (text: string | undefined): LogValue => (text === undefined ? str(undefined) : { kind: 'raw', text });
const ip = (text: string | undefined): LogValue => (text ? { kind: 'ip', text } : str(undefined));
const port = (value: number | undefined): LogValue => (value !== undefined ? { kind: 'port', value } : str(undefined));

const date = (view: RequestView, f: (ms: number) => string, which: 'acceptDate' | 'requestDate' = 'acceptDate') => raw(view.txnInfo ? f(view.txnInfo[which]) : undefined);

/** The request line as received (the proxy's copy), else the view's. */
function line(view: RequestView): { method: string; uri: string; version: string } {
  const i = view.txnInfo;
  return i ?? { method: view.method, uri: view.uri, version: `HTTP/${view.version ?? '1.1'}` };
}

function splitUri(uri: string): { path: string; query: string } {
  const q = uri.indexOf('?');
  return q < 0 ? { path: uri, query: '' } : { path: uri.slice(0, q), query: uri.slice(q) };
}

/** The slots of one side, as many as the frontend declares, for `%hr`/`%hs`. */
function slots(view: RequestView, side: 'request' | 'response'): (string | undefined)[] | undefined {
  const n = view.txnInfo?.captures?.[side].length ?? 0;
  if (n === 0) return undefined;
  const t = txnOf(view);
  const values = side === 'request' ? t.reqCaptures : t.resCaptures;
  return Array.from({ length: n }, (_, i) => values[i]);
}

export const RULE_VARIABLES: Readonly<Record<string, Reader>> = {
  ci: (v) => ip(v.src),
  cp: (v) => port(v.srcPort),
  fi: (v) => ip(v.dst),
  fp: (v) => port(v.dstPort),
  fc: (v) => num(v.feConn?.(undefined) ?? 0),
  bc: (v) => num(v.beConn?.(undefined) ?? 0),
  f: (v) => str(v.txnInfo?.frontend),
  ft: (v) => str(v.txnInfo ? v.txnInfo.frontend + (v.txnInfo.frontendTls ? '~' : '') : undefined),
  // Before switching, the backend is the frontend itself (HAProxy's s->be).
  b: (v) => str(v.txnInfo ? v.txnInfo.backend() ?? v.txnInfo.frontend : undefined),
  s: (v) => str(v.txnInfo?.server()?.name ?? '<NOSRV>'),
  si: (v) => ip(v.txnInfo?.server()?.ip),
  sp: (v) => port(v.txnInfo?.server()?.port),
  H: (v) => str(v.txnInfo?.hostname),
  pid: (v) => (v.txnInfo ? num(v.txnInfo.pid, 4) : str(undefined)),
  ID: (v) => str(uniqueIdOf(v)),
  t: (v) => date(v, logDate),
  tr: (v) => date(v, logDate, 'requestDate'),
  trg: (v) => date(v, gmtDate, 'requestDate'),
  trl: (v) => date(v, localDate, 'requestDate'),
  T: (v) => date(v, gmtDate),
  Tl: (v) => date(v, localDate),
  Ts: (v) => (v.txnInfo ? num(Math.floor(v.txnInfo.acceptDate / 1000)) : str(undefined)),
  ms: (v) => raw(v.txnInfo ? String(v.txnInfo.acceptDate % 1000).padStart(3, '0') : undefined),
  rt: (v) => (v.txnInfo ? num(v.txnInfo.requestCounter, 4) : str(undefined)),
  HM: (v) => str(line(v).method),
  HU: (v) => str(line(v).uri),
  HP: (v) => str(splitUri(line(v).uri).path),
  HQ: (v) => str(splitUri(line(v).uri).query),
  HV: (v) => str(line(v).version),
  r: (v) => {
    const l = line(v);
    return str(`${l.method} ${l.uri} ${l.version}`);
  },
  hr: (v, f) => printCaptures(slots(v, 'request'), false, f),
  hrl: (v, f) => printCaptures(slots(v, 'request'), true, f),
  hs: (v, f) => printCaptures(slots(v, 'response'), false, f),
  hsl: (v, f) => printCaptures(slots(v, 'response'), true, f),
};
