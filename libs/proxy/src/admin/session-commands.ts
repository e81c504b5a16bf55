import type { Session } from '../runtime.types.js';
import { isViewable, type SessionView } from '../session-view.js';
import { AdminCommandError, type ProxyAdminCommand } from './proxy-commands.js';
import { haproxyDate } from './ops-commands.js';
import { proxyIds, serverAddress, type ProxyAdminSource, type ProxyRuntimes } from './proxy-view.js';

/**
 * `show sess [<id>|all]` and `shutdown session <id>` (issue #5), HAProxy 2.6's layout (src/stream.c's CLI dump).
 *
 * One line per stream, the fields in HAProxy's order:
 * `0x<id>: proto=tcpv4 src=<ip:port> fe=<fe> be=<be> srv=<srv> ts=00 epoch=0x0 age=<age> calls=<n> rate=0 cpu=0
 * lat=0 rq[f=0h,i=0,an=00h,rx=,wx=,ax=] rp[f=0h,i=0,an=00h,rx=,wx=,ax=] s0=[<st>,0h,fd=<fd>,ex=]
 * s1=[<st>,0h,fd=<fd>,ex=] exp=<exp>`.
 *
 * Filled from Tandem's sessions: the id (a process-unique number, printed in hex where HAProxy prints the
 * stream's address), proto, src, fe, be, srv, age, calls (transactions started on the connection for HTTP, 1 for
 * TCP) and the two stream-connector states (`s0` client, `s1` server: 8 = established, 5 = connecting, 2 = queued,
 * 0 = none, HAProxy's SC_ST_* numbers) with their file descriptors when Node exposes them (-1 otherwise).
 * Placeholders, because Tandem has no scheduler tasks or channel buffers: `ts=00`, `epoch=0x0`, `rate=0`, `cpu=0`,
 * `lat=0`, every `f=`/`an=` flag word (0), `i=` (0: Tandem keeps no channel buffer), the empty `rx`/`wx`/`ax`/`ex`
 * timers and `exp=<NEVER>`.
 */
export interface SessionSource extends ProxyAdminSource {
  liveSessions(): Iterable<Session>;
}

export interface SessionCommandOptions {
  readonly now?: () => number;
}

export function sessionCommands(source: SessionSource, options: SessionCommandOptions = {}): ProxyAdminCommand[] {
  const now = () => options.now?.() ?? Date.now();
  const views = (): SessionView[] => [...source.liveSessions()].filter(isViewable).map((s) => s.describe()).sort((a, b) => a.id - b.id);
  const find = (arg: string | undefined): { session: Session; view: SessionView } | undefined => {
    const id = parseSessionId(arg);
    for (const session of source.liveSessions()) {
      if (!isViewable(session)) continue;
      const view = session.describe();
      if (view.id === id) return { session, view };
    }
    return undefined;
  };
  return [
    {
      words: ['show', 'sess'],
      usage: 'show sess [id]                          : report the list of current sessions or dump this session',
      level: 'user',
      run: (args) => {
        if (args[0] === undefined) return views().map((v) => `${sessionLine(v, now())}\n`).join('');
        const runtimes = source.runtimes();
        if (args[0] === 'all') return views().map((v) => sessionDetail(v, runtimes, now())).join('');
        const found = find(args[0]);
        if (!found) return 'Session not found.\n';
        return sessionDetail(found.view, runtimes, now());
      },
    },
    {
      words: ['shutdown', 'session'],
      usage: 'shutdown session [id]                   : kill a specific session',
      level: 'admin',
      mutates: true,
      run: (args) => {
        if (args[0] === undefined) throw new AdminCommandError('Session pointer expected (use \'show sess\').');
        const found = find(args[0]);
        if (!found) throw new AdminCommandError("No such session (use 'show sess').");
        found.session.abort();
        return '';
      },
    },
  ];
}

/** `0x1a` (as printed) or a decimal id. */
function parseSessionId(arg: string | undefined): number {
  if (arg === undefined) return -1;
  if (/^0x[0-9a-f]+$/i.test(arg)) return parseInt(arg.slice(2), 16);
  if (/^\d+$/.test(arg)) return Number(arg);
  return -1;
}

/** `tcpv4`, `tcpv6` or `unix_stream`, as HAProxy names a connection's protocol. */
function protoOf(v: SessionView): string {
  const family = v.client.remoteFamily;
  if (family === 'IPv6') return v.client.remoteAddress?.startsWith('::ffff:') ? 'tcpv4' : 'tcpv6';
  if (family === 'IPv4') return 'tcpv4';
  return 'unix_stream';
}

function srcOf(v: SessionView): string {
  const ip = v.client.remoteAddress;
  if (ip === undefined) return 'unix:0';
  return `${ip.startsWith('::ffff:') ? ip.slice(7) : ip}:${v.client.remotePort ?? 0}`;
}

/** HAProxy's human_time(): `2d3h`, `4h5m`, `6m7s`, `8s`. */
export function humanTime(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${m}m`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

/** The socket's descriptor when Node's handle exposes one (TCP on POSIX), else -1 as HAProxy prints a closed side. */
function fdOf(socket: unknown): number {
  const fd = (socket as { _handle?: { fd?: unknown } } | undefined)?._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/** HAProxy's stream-connector states: 0 INI, 2 QUE, 5 CON, 8 EST, 10 CLO. */
function serverSideState(v: SessionView): number {
  if (v.serverSocket) return v.serverSocket.destroyed ? 10 : 8;
  if (v.server) return 5;
  if (v.queued) return 2;
  return 0;
}

export function sessionLine(v: SessionView, now: number): string {
  const be = v.backend ? v.backend.config.name : '<NONE>';
  const srv = v.server ? v.server.name : '<none>';
  const calls = v.frontend.config.mode === 'http' ? v.requests : 1;
  const s0 = `s0=[${v.client.destroyed ? 10 : 8},0h,fd=${fdOf(v.client)},ex=]`;
  const s1 = `s1=[${serverSideState(v)},0h,fd=${fdOf(v.serverSocket)},ex=]`;
  return (
    `0x${v.id.toString(16)}: proto=${protoOf(v)} src=${srcOf(v)} fe=${v.frontend.config.name} be=${be} srv=${srv} ` +
    `ts=00 epoch=0x0 age=${humanTime(now - v.startedAt)} calls=${calls} rate=0 cpu=0 lat=0 ` +
    `rq[f=0h,i=0,an=00h,rx=,wx=,ax=] rp[f=0h,i=0,an=00h,rx=,wx=,ax=] ${s0} ${s1} exp=<NEVER>`
  );
}

/** `show sess <id>`: HAProxy's multi-line dump, with the fields Tandem has (same placeholders as the line). */
export function sessionDetail(v: SessionView, runtimes: ProxyRuntimes, now: number): string {
  const ids = proxyIds(runtimes);
  const fe = v.frontend.config;
  const local = v.client.localAddress ? `${v.client.localAddress.replace(/^::ffff:/, '')}:${v.client.localPort ?? 0}` : 'unix';
  const lines = [
    `0x${v.id.toString(16)}: [${haproxyDate(new Date(v.startedAt))}] id=${v.id} proto=${protoOf(v)} source=${srcOf(v)}`,
    `  flags=0x0, conn_retries=${v.retries}, conn_exp=<NEVER> conn_et=0x000 srv_conn=${v.server ? '0x' + v.server.id.toString(16) : '(nil)'}, pend_pos=${v.queued ? 'queued' : '(nil)'} waiting=${v.queued ? 1 : 0} epoch=0x0`,
    `  frontend=${fe.name} (id=${ids.frontend(fe.name)} mode=${fe.mode}), listener=? (id=0) addr=${local}`,
    v.backend ? `  backend=${v.backend.config.name} (id=${ids.backend(v.backend.config.name)} mode=${v.backend.config.mode})` : '  backend=<NONE> (id=-1 mode=-)',
    v.server ? `  server=${v.server.name} (id=${v.server.id}) addr=${serverAddress(v.server)}` : '  server=<NONE> (id=-1)',
    `  task=0x${v.id.toString(16)} (state=0x00 nice=0 calls=${fe.mode === 'http' ? v.requests : 1} rate=0 exp=<NEVER> tmask=0x1 age=${humanTime(now - v.startedAt)})`,
  ];
  if (v.request) lines.push(`  txn=0x${v.id.toString(16)} flags=0x0 meth=${v.request.method} status=-1 uri=${v.request.uri}`);
  lines.push(`  scf=0x${v.id.toString(16)} state=${v.client.destroyed ? 'CLO' : 'EST'} fd=${fdOf(v.client)} bytes_in=${v.client.bytesRead} bytes_out=${v.client.bytesWritten}`);
  if (v.serverSocket) lines.push(`  scb=0x${v.id.toString(16)} state=${v.serverSocket.destroyed ? 'CLO' : 'EST'} fd=${fdOf(v.serverSocket)} bytes_in=${v.serverSocket.bytesRead} bytes_out=${v.serverSocket.bytesWritten}`);
  else lines.push(`  scb=(nil) state=${['INI', '', 'QUE', '', '', 'CON'][serverSideState(v)] ?? 'INI'}`);
  return `${lines.join('\n')}\n`;
}
