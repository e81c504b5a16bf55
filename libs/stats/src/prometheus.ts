import type { LatencyHistogram } from './histogram.js';
import type { StatRecord } from './stats-page.types.js';

/**
 * HAProxy's Prometheus exporter (addons/promex, `http-request use-service prometheus-exporter`), pure: `show stat`
 * rows in, text exposition format out. Metric names, help texts and labels (`proxy`, `server`, `code`, `state`) are
 * HAProxy 2.6's for every column Tandem counts; columns Tandem does not track are not exported.
 */
interface MetricDef {
  readonly name: string;
  readonly field: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
}

const m = (name: string, field: string, type: 'gauge' | 'counter', help: string): MetricDef => ({ name, field, type, help });

/** Metrics more than one kind of proxy exports, by the name after `haproxy_<kind>_`. */
const SHARED = {
  current_sessions: m('current_sessions', 'scur', 'gauge', 'Number of current sessions.'),
  max_sessions: m('max_sessions', 'smax', 'gauge', 'Maximum observed number of active sessions.'),
  limit_sessions: m('limit_sessions', 'slim', 'gauge', 'Configured session limit.'),
  sessions_total: m('sessions_total', 'stot', 'counter', 'Total number of sessions.'),
  bytes_in_total: m('bytes_in_total', 'bin', 'counter', 'Current total of incoming bytes.'),
  bytes_out_total: m('bytes_out_total', 'bout', 'counter', 'Current total of outgoing bytes.'),
  http_requests_total: m('http_requests_total', 'req_tot', 'counter', 'Total number of HTTP requests received.'),
  current_queue: m('current_queue', 'qcur', 'gauge', 'Number of current queued connections.'),
  connection_errors_total: m('connection_errors_total', 'econ', 'counter', 'Total number of connection errors.'),
  response_errors_total: m('response_errors_total', 'eresp', 'counter', 'Total number of response errors.'),
  retry_warnings_total: m('retry_warnings_total', 'wretr', 'counter', 'Total number of retry warnings.'),
  redispatch_warnings_total: m('redispatch_warnings_total', 'wredis', 'counter', 'Total number of redispatch warnings.'),
  weight: m('weight', 'weight', 'gauge', 'Service weight.'),
} as const;

/** Backends and servers: bytes, connection/response errors, retries, redispatches, weight (in that order). */
const BYTES_ERRORS_WEIGHT: readonly MetricDef[] = [
  SHARED.bytes_in_total,
  SHARED.bytes_out_total,
  SHARED.connection_errors_total,
  SHARED.response_errors_total,
  SHARED.retry_warnings_total,
  SHARED.redispatch_warnings_total,
  SHARED.weight,
];

const FRONTEND: readonly MetricDef[] = [
  SHARED.current_sessions,
  SHARED.max_sessions,
  SHARED.limit_sessions,
  SHARED.sessions_total,
  SHARED.bytes_in_total,
  SHARED.bytes_out_total,
  m('requests_denied_total', 'dreq', 'counter', 'Total number of denied requests.'),
  m('responses_denied_total', 'dresp', 'counter', 'Total number of denied responses.'),
  m('request_errors_total', 'ereq', 'counter', 'Total number of request errors.'),
  m('connections_total', 'conn_tot', 'counter', 'Total number of new connections.'),
  SHARED.http_requests_total,
];

const BACKEND: readonly MetricDef[] = [
  SHARED.current_queue,
  SHARED.current_sessions,
  SHARED.max_sessions,
  SHARED.sessions_total,
  ...BYTES_ERRORS_WEIGHT,
  m('active_servers', 'act', 'gauge', 'Current number of active servers.'),
  m('backup_servers', 'bck', 'gauge', 'Current number of backup servers.'),
  SHARED.http_requests_total,
];

const SERVER: readonly MetricDef[] = [
  SHARED.current_queue,
  SHARED.current_sessions,
  SHARED.max_sessions,
  SHARED.limit_sessions,
  SHARED.sessions_total,
  ...BYTES_ERRORS_WEIGHT,
];

/** HAProxy's server states for `haproxy_server_status{state=…}` (promex_srv_st). */
const SERVER_STATES = ['DOWN', 'UP', 'MAINT', 'DRAIN', 'NOLB'] as const;
const CODES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;

/** Histograms of one backend, by phase, for the `tandem_backend_*_seconds` families (not in HAProxy). */
export interface BackendHistograms {
  readonly backend: string;
  readonly connect: LatencyHistogram;
  readonly response: LatencyHistogram;
  readonly total: LatencyHistogram;
}

export function renderPrometheus(rows: readonly StatRecord[], histograms: readonly BackendHistograms[] = []): string {
  const families = new Map<string, { type: string; help: string; lines: string[] }>();
  const emit = (name: string, type: string, help: string, labels: string, value: number) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { type, help, lines: [] }));
    f.lines.push(`${name}{${labels}} ${value}`);
  };
  const frontends = rows.filter((r) => r['svname'] === 'FRONTEND');
  const backends = rows.filter((r) => r['svname'] === 'BACKEND');
  const servers = rows.filter((r) => r['svname'] !== 'FRONTEND' && r['svname'] !== 'BACKEND');
  for (const r of frontends) {
    const labels = `proxy="${label(r['pxname'])}"`;
    emit('haproxy_frontend_status', 'gauge', 'Current status of the service.', labels, r['status'] === 'OPEN' ? 1 : 0);
    numbers('frontend', FRONTEND, r, labels, emit);
    responses('frontend', r, labels, emit);
  }
  for (const r of backends) {
    const labels = `proxy="${label(r['pxname'])}"`;
    emit('haproxy_backend_status', 'gauge', 'Current status of the service.', labels, r['status'] === 'UP' ? 1 : 0);
    numbers('backend', BACKEND, r, labels, emit);
    responses('backend', r, labels, emit);
  }
  for (const r of servers) {
    const labels = `proxy="${label(r['pxname'])}",server="${label(r['svname'])}"`;
    const status = String(r['status'] ?? '');
    const state = status === 'no check' ? 'UP' : status.split(' ')[0]!;
    for (const s of SERVER_STATES) emit('haproxy_server_status', 'gauge', 'Current status of the service, per state label value.', `${labels},state="${s}"`, state === s ? 1 : 0);
    numbers('server', SERVER, r, labels, emit);
    responses('server', r, labels, emit);
  }
  const out: string[] = [];
  for (const [name, f] of families) out.push(`# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`);
  for (const [phase, help] of [['connect', 'connecting to a server'], ['response', 'the server\'s response head'], ['total', 'a whole request']] as const) {
    if (!histograms.length) break;
    const name = `tandem_backend_${phase}_time_seconds`;
    out.push(`# HELP ${name} Latency of ${help}, per backend (Tandem; not in HAProxy).\n# TYPE ${name} histogram\n`);
    for (const h of histograms) out.push(h[phase].toPrometheus(name, `proxy="${label(h.backend)}"`));
  }
  return out.join('');
}

function numbers(kind: string, defs: readonly MetricDef[], r: StatRecord, labels: string, emit: (n: string, t: string, h: string, l: string, v: number) => void): void {
  for (const d of defs) {
    const v = r[d.field];
    if (v === undefined || v === '' || !Number.isFinite(Number(v))) continue;
    emit(`haproxy_${kind}_${d.name}`, d.type, d.help, labels, Number(v));
  }
}

function responses(kind: string, r: StatRecord, labels: string, emit: (n: string, t: string, h: string, l: string, v: number) => void): void {
  for (const c of CODES) {
    const v = r[`hrsp_${c}`];
    if (v === undefined || v === '') continue;
    emit(`haproxy_${kind}_http_responses_total`, 'counter', 'Total number of HTTP responses.', `${labels},code="${c}"`, Number(v));
  }
}

function label(v: string | number | undefined): string {
  return String(v ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
