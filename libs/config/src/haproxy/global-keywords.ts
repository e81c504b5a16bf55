import type { KeywordLine } from './parse-context.js';
import type { LogTarget, StatsSocketConfig } from '../runtime-config.types.js';
import { parseListenAddress } from './addresses.js';
import { parseInteger, parseSize, parseTime } from './units.js';

/** The global section while it is parsed; several `global` sections merge into one. */
export interface GlobalDraft {
  maxconn?: number;
  daemon: boolean;
  pidfile?: string;
  nbthread: number;
  user?: string;
  group?: string;
  chroot?: string;
  bufsize?: number;
  maxrewrite?: number;
  sslDefaultDhParam?: number;
  spreadChecks?: number;
  maxSpreadChecks?: number;
  /** `ssl-server-verify`: the default of servers' `verify` (HAProxy's default is `required`). */
  sslServerVerify?: 'none' | 'required';
  statsSockets: StatsSocketConfig[];
  logTargets: LogTarget[];
  logTag?: string;
  logSendHostname?: string;
}

export function newGlobalDraft(): GlobalDraft {
  return { daemon: false, nbthread: 1, statsSockets: [], logTargets: [] };
}

type GlobalHandler = (g: GlobalDraft, kw: KeywordLine, args: readonly string[]) => void;

const integer = (keyword: string, min: number, max: number, apply: (g: GlobalDraft, n: number) => void): GlobalHandler => (g, kw, args) => {
  const n = parseInteger(args[0] ?? '', min, max);
  if (n === undefined) kw.sink.error(kw.file, kw.line, keyword, `expects an integer between ${min} and ${max}, got '${args[0] ?? ''}'`);
  else apply(g, n);
};

const text = (keyword: string, apply: (g: GlobalDraft, v: string) => void): GlobalHandler => (g, kw, args) => {
  if (!args[0]) kw.sink.error(kw.file, kw.line, keyword, 'expects an argument');
  else apply(g, args[0]);
};

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'auth2', 'ftp', 'ntp', 'audit', 'alert', 'cron2', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export const GLOBAL_KEYWORDS: ReadonlyMap<string, GlobalHandler> = new Map<string, GlobalHandler>([
  ['maxconn', integer('maxconn', 1, 10_000_000, (g, n) => (g.maxconn = n))],
  ['daemon', (g) => (g.daemon = true)],
  ['spread-checks', integer('spread-checks', 0, 50, (g, n) => (g.spreadChecks = n))],
  ['max-spread-checks', (g, kw, args) => {
    const ms = parseTime(args[0] ?? '');
    if (ms === undefined) kw.sink.error(kw.file, kw.line, 'max-spread-checks', `expects a time value, got '${args[0] ?? ''}'`);
    else g.maxSpreadChecks = ms;
  }],
  ['ssl-server-verify', (g, kw, args) => {
    if (args[0] === 'none' || args[0] === 'required') g.sslServerVerify = args[0];
    else kw.sink.error(kw.file, kw.line, 'ssl-server-verify', `expects 'none' or 'required', got '${args[0] ?? ''}'`);
  }],
  ['pidfile', text('pidfile', (g, v) => (g.pidfile = v))],
  ['nbthread', (g, kw, args) => {
    const n = parseInteger(args[0] ?? '', 1, 4096);
    if (n === undefined) kw.sink.error(kw.file, kw.line, 'nbthread', `expects a number of threads, got '${args[0] ?? ''}'`);
    else if (n > 1) kw.sink.error(kw.file, kw.line, 'nbthread', 'more than one thread is recognised but not implemented yet in Tandem (the multi-core data plane is a later issue); use nbthread 1');
    else g.nbthread = n;
  }],
  ['nbproc', (_g, kw) => kw.sink.error(kw.file, kw.line, 'nbproc', "was removed in HAProxy 2.5 and is not supported; use 'nbthread'")],
  ['user', text('user', (g, v) => (g.user = v))],
  ['group', text('group', (g, v) => (g.group = v))],
  ['uid', text('uid', (g, v) => (g.user = v))],
  ['gid', text('gid', (g, v) => (g.group = v))],
  ['chroot', (g, kw, args) => {
    if (!args[0]) return kw.sink.error(kw.file, kw.line, 'chroot', 'expects a directory');
    g.chroot = args[0];
    kw.sink.warning(kw.file, kw.line, 'chroot', "is accepted but tandemd does not chroot (Node.js cannot); the appliance's systemd unit confines it (ProtectSystem=strict, bounded capabilities)");
  }],
  ['tune.bufsize', (g, kw, args) => {
    const n = parseSize(args[0] ?? '');
    if (n === undefined || n < 1024 || n > 1024 * 1024 * 1024) kw.sink.error(kw.file, kw.line, 'tune.bufsize', `expects a size of at least 1024 bytes, got '${args[0] ?? ''}'`);
    else g.bufsize = n;
  }],
  ['tune.maxrewrite', (g, kw, args) => {
    const n = parseSize(args[0] ?? '');
    if (n === undefined) kw.sink.error(kw.file, kw.line, 'tune.maxrewrite', `expects a size, got '${args[0] ?? ''}'`);
    else g.maxrewrite = n;
  }],
  ['tune.ssl.default-dh-param', integer('tune.ssl.default-dh-param', 1024, 16384, (g, n) => (g.sslDefaultDhParam = n))],
  ['node', () => undefined],
  ['description', () => undefined],
  ['stats', (g, kw, args) => {
    if (args[0] !== 'socket') {
      kw.sink.error(kw.file, kw.line, `stats ${args[0] ?? ''}`.trim(), "in the global section only 'stats socket' is supported; 'stats timeout' and 'stats maxconn' are not implemented yet (not scheduled yet)");
      return;
    }
    const address = parseListenAddress(args[1] ?? '');
    if (typeof address === 'string') return kw.sink.error(kw.file, kw.line, 'stats socket', address);
    let level: StatsSocketConfig['level'] = 'operator';
    let mode: number | undefined;
    for (let i = 2; i < args.length; i++) {
      if (args[i] === 'level' && ['user', 'operator', 'admin'].includes(args[i + 1] ?? '')) level = args[++i] as StatsSocketConfig['level'];
      else if (args[i] === 'mode' && /^[0-7]{3,4}$/.test(args[i + 1] ?? '')) mode = Number.parseInt(args[++i]!, 8);
      else if (['user', 'group', 'uid', 'gid'].includes(args[i]!) && args[i + 1]) i++;
      else if (args[i] === 'expose-fd' && args[i + 1]) i++;
      else return kw.sink.error(kw.file, kw.line, 'stats socket', `unknown or incomplete option '${args[i]}' (expects level user|operator|admin, mode <octal>)`);
    }
    g.statsSockets.push({ address, level, ...(mode !== undefined ? { mode } : {}), source: { file: kw.file, line: kw.line } });
  }],
  ['log', (g, kw, args) => {
    const target = parseLogTarget(kw, args);
    if (target) g.logTargets.push(target);
  }],
  ['log-tag', text('log-tag', (g, v) => (g.logTag = v))],
  // Without an argument, the system's hostname (resolved by the logging side, not here).
  ['log-send-hostname', (g, _kw, args) => (g.logSendHostname = args[0] ?? '')],
]);

/** `log <target> [len <n>] [format <f>] <facility> [<level> [<minlevel>]]`. */
export function parseLogTarget(kw: KeywordLine, args: readonly string[]): LogTarget | undefined {
  const fail = (message: string) => { kw.sink.error(kw.file, kw.line, 'log', message); return undefined; };
  const where = args[0];
  if (!where) return fail('expects a target (address[:port], stdout, stderr or /path) and a facility');
  let i = 1;
  let format: LogTarget['format'] = 'rfc3164';
  let maxLen: number | undefined;
  while (args[i] === 'len' || args[i] === 'format' || args[i] === 'sample') {
    if (args[i] === 'format') {
      const f = args[i + 1];
      if (f !== 'rfc3164' && f !== 'rfc5424' && f !== 'raw' && f !== 'short') return fail(`unknown log format '${f ?? ''}' (rfc3164, rfc5424, raw, short)`);
      format = f;
    }
    if (args[i] === 'len') {
      maxLen = parseInteger(args[i + 1] ?? '', 80, 65535);
      if (maxLen === undefined) return fail(`'len' expects a length between 80 and 65535, got '${args[i + 1] ?? ''}'`);
    }
    i += 2;
  }
  const facility = args[i];
  if (!facility || !FACILITIES.includes(facility)) return fail(`unknown facility '${facility ?? ''}'`);
  const level = args[i + 1];
  const minLevel = args[i + 2];
  for (const l of [level, minLevel]) if (l !== undefined && !LEVELS.includes(l)) return fail(`unknown level '${l}'`);
  const base = { facility, format, ...(maxLen !== undefined ? { maxLen } : {}), source: { file: kw.file, line: kw.line }, ...(level ? { level } : {}), ...(minLevel ? { minLevel } : {}) };
  if (where === 'stdout' || where === 'stderr') return { kind: where, ...base };
  if (where.startsWith('/') || where.startsWith('unix@')) return { kind: 'unix', address: where.replace(/^unix@/, ''), ...base };
  const m = /^(?:udp@|udp4@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(where);
  if (!m) return fail(`invalid log target '${where}'`);
  return { kind: 'udp', address: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 514, ...base };
}
