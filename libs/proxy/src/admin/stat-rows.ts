import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { TrafficCounters } from '../counters.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { effectiveWeight, proxyIds, serverAddress, type ProxyRuntimes } from './proxy-view.js';
import { STAT_TYPE, type StatRow } from './stat-csv.js';

/** HAProxy's `pid` column: the relative process number; Tandem is one process. */
const RELATIVE_PID = 1;

/** Which rows `show stat [{<iid>|<proxy>} <type> <sid>]` keeps; -1 means all. `types` is HAProxy's bit field. */
export interface StatFilter {
  readonly proxy?: string | number;
  /** 1 = frontends, 2 = backends, 4 = servers (management.txt "show stat"), -1 = all. */
  readonly types: number;
  /** -1 = all servers. */
  readonly sid: number;
}

export const ALL_STATS: StatFilter = Object.freeze({ types: -1, sid: -1 });

/**
 * The rows of `show stat`, in HAProxy's order: one FRONTEND row per frontend, then per backend one row per server
 * (declaration order) followed by its BACKEND row.
 */
export function statRows(runtimes: ProxyRuntimes, filter: StatFilter = ALL_STATS): StatRow[] {
  const ids = proxyIds(runtimes);
  const wants = (bit: number) => filter.types === -1 || (filter.types & bit) !== 0;
  const proxyMatches = (name: string, iid: number) =>
    filter.proxy === undefined || filter.proxy === -1 || filter.proxy === name || filter.proxy === iid;
  const rows: StatRow[] = [];
  for (const fe of runtimes.frontends) {
    const iid = ids.frontend(fe.config.name);
    if (wants(1) && proxyMatches(fe.config.name, iid)) rows.push(frontendRow(fe, iid));
  }
  for (const be of runtimes.backends) {
    const iid = ids.backend(be.config.name);
    if (!proxyMatches(be.config.name, iid)) continue;
    if (wants(4)) for (const s of be.servers) if (filter.sid === -1 || filter.sid === s.id) rows.push(serverRow(be, s, iid));
    if (wants(2)) rows.push(backendRow(be, iid));
  }
  return rows;
}

export function frontendRow(fe: FrontendRuntime, iid: number): StatRow {
  const c = fe.counters;
  const http = fe.config.mode === 'http';
  return {
    pxname: fe.config.name,
    svname: 'FRONTEND',
    scur: c.current,
    ...(fe.config.maxconn ? { slim: fe.config.maxconn } : {}),
    stot: c.connections,
    bin: c.bytesIn,
    bout: c.bytesOut,
    dreq: c.deniedRequests,
    dresp: c.deniedResponses,
    ereq: c.malformed,
    status: fe.draining() ? 'STOP' : 'OPEN',
    pid: RELATIVE_PID,
    iid,
    sid: 0,
    type: STAT_TYPE.frontend,
    ...(http ? { ...responses(c), req_tot: c.requests } : {}),
    // HAProxy: a frontend's session rate is per accepted connection; req_rate only for HTTP frontends.
    rate: c.connRate.value,
    rate_max: c.connRate.max,
    ...(http ? { req_rate: c.reqRate.value, req_rate_max: c.reqRate.max } : {}),
    mode: fe.config.mode,
    conn_rate: c.connRate.value,
    conn_rate_max: c.connRate.max,
    conn_tot: c.connections,
  };
}

export function serverRow(be: BackendRuntime, s: ServerRuntime, iid: number): StatRow {
  const c = s.counters;
  const check = s.config.check;
  return {
    pxname: be.config.name,
    svname: s.name,
    scur: c.current,
    ...(s.config.maxconn ? { slim: s.config.maxconn } : {}),
    stot: c.connections,
    bin: c.bytesIn,
    bout: c.bytesOut,
    dresp: c.deniedResponses,
    econ: c.connectErrors,
    eresp: c.malformed,
    wretr: c.retries,
    wredis: c.redispatches,
    status: serverStatus(s),
    weight: effectiveWeight(s),
    act: s.backup ? 0 : 1,
    bck: s.backup ? 1 : 0,
    ...(s.config.maxqueue !== undefined ? { qlimit: s.config.maxqueue } : {}),
    pid: RELATIVE_PID,
    iid,
    sid: s.id,
    type: STAT_TYPE.server,
    ...(check.enabled ? { check_rise: check.rise, check_fall: check.fall } : {}),
    ...(be.config.mode === 'http' ? responses(c) : {}),
    ...serverActivity(be, s),
    ...(check.enabled ? checkFields(s) : {}),
    addr: serverAddress(s),
    ...(s.cookie ? { cookie: s.cookie } : {}),
    mode: be.config.mode,
    uweight: s.weight,
  };
}

export function backendRow(be: BackendRuntime, iid: number): StatRow {
  const c = be.counters;
  const active = be.servers.filter((s) => !s.backup && s.inRotation);
  const backups = be.servers.filter((s) => s.backup && s.inRotation);
  // HAProxy's lbprm.tot_weight: the active servers' weights, or the backups' when no active server is usable.
  const totalWeight = (active.length ? active : backups).reduce((sum, s) => sum + s.weight, 0);
  return {
    pxname: be.config.name,
    svname: 'BACKEND',
    scur: c.current,
    stot: c.connections,
    bin: c.bytesIn,
    bout: c.bytesOut,
    dreq: c.deniedRequests,
    dresp: c.deniedResponses,
    econ: c.connectErrors,
    eresp: c.malformed,
    wretr: c.retries,
    wredis: c.redispatches,
    // HAProxy's stats_fill_be_stats: UP when a server can take traffic, or when the backend has no server at all
    // (a stats-only `listen`).
    status: active.length + backups.length > 0 || be.servers.length === 0 ? 'UP' : 'DOWN',
    weight: totalWeight,
    act: active.length,
    bck: backups.length,
    pid: RELATIVE_PID,
    iid,
    sid: 0,
    type: STAT_TYPE.backend,
    ...(be.config.mode === 'http' ? { ...responses(c), req_tot: c.requests } : {}),
    // The backend queue (pending-queue.ts): requests waiting because every server was at its maxconn.
    qcur: be.queue.length,
    qmax: be.queue.max,
    ...sessionRate(be, c),
    lbtot: be.servers.reduce((n, s) => n + lbTotal(be, s.counters), 0),
    lastsess: lastSession(c),
    ...averages(c),
    mode: be.config.mode,
    algo: be.config.balance.algorithm,
    uweight: be.servers.filter((s) => !s.backup).reduce((sum, s) => sum + s.weight, 0),
  };
}

/**
 * The `status` of a server row (HAProxy's stats_fill_sv_computestate, without the transitional "UP 1/3" forms,
 * which need the check counters the health lib keeps): MAINT, DRAIN, DOWN, and UP or "no check" when not checked.
 */
export function serverStatus(s: ServerRuntime): string {
  switch (s.state) {
    case 'maint':
      return 'MAINT';
    case 'drain':
      return 'DRAIN';
    case 'down':
      return 'DOWN';
    case 'up':
      return s.config.check.enabled ? 'UP' : 'no check';
  }
}

/**
 * The session rate of a backend or server: HAProxy counts a stream per HTTP request (keep-alive included), so an
 * HTTP backend's rate is its request rate; a TCP one counts connections.
 */
function sessionRate(be: BackendRuntime, c: TrafficCounters): StatRow {
  const r = be.config.mode === 'http' ? c.reqRate : c.connRate;
  return { rate: r.value, rate_max: r.max };
}

/** `lbtot`: times the server was picked (HTTP: each request assigned to it; TCP: each connection). */
function lbTotal(be: BackendRuntime, c: TrafficCounters): number {
  return be.config.mode === 'http' ? c.requests : c.connections;
}

/** `lastsess`: seconds since the last session was assigned, -1 when none yet (HAProxy's convention). */
function lastSession(c: TrafficCounters, now = Date.now()): number {
  return c.lastAt === 0 ? -1 : Math.floor((now - c.lastAt) / 1000);
}

/** qtime/ctime/rtime/ttime: averages over the last 1024 transactions, once one was observed. */
function averages(c: TrafficCounters): StatRow {
  const t = c.times;
  if (t.samples === 0) return {};
  return { qtime: t.queue.value, ctime: t.connect.value, rtime: t.response.value, ttime: t.total.value };
}

/**
 * A server's activity: no queue of its own (Tandem queues per backend, so qcur/qmax are 0), rates, `lbtot`,
 * `lastsess`, `lastchg` (seconds in the current state) and the averages.
 */
function serverActivity(be: BackendRuntime, s: ServerRuntime, now = Date.now()): StatRow {
  const c = s.counters;
  return {
    qcur: 0,
    qmax: 0,
    ...sessionRate(be, c),
    lbtot: lbTotal(be, c),
    lastsess: lastSession(c, now),
    lastchg: Math.max(0, Math.floor((now - c.state.changedAt) / 1000)),
    ...averages(c),
  };
}

/** The check columns of a checked server (HAProxy fills them only when `check` is on). */
function checkFields(s: ServerRuntime, now = Date.now()): StatRow {
  const k = s.counters.check;
  return {
    chkfail: k.failed,
    chkdown: k.downs,
    downtime: s.counters.state.downtime(now),
    hanafail: 0,
    ...(k.status !== undefined
      ? {
          check_status: k.status,
          ...(k.code !== undefined ? { check_code: k.code } : {}),
          check_duration: k.durationMs,
          ...(k.desc !== undefined ? { check_desc: k.desc, last_chk: k.desc } : {}),
        }
      : {}),
  };
}

function responses(c: TrafficCounters): StatRow {
  return {
    hrsp_1xx: c.responses[1],
    hrsp_2xx: c.responses[2],
    hrsp_3xx: c.responses[3],
    hrsp_4xx: c.responses[4],
    hrsp_5xx: c.responses[5],
    hrsp_other: c.responses[0],
  };
}
