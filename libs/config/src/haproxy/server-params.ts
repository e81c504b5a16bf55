import type { KeywordLine } from './parse-context.js';
import type { ServerDraft, ServerParams } from './proxy-draft.js';
import { NOT_IMPLEMENTED_SERVER_PARAMS, notImplementedMessage } from './not-implemented.js';
import { parseServerEndpoint } from './addresses.js';
import { nearest } from './suggest.js';
import { parseInteger, parseTime } from './units.js';
import { parseSampleExpr } from './log-format.js';
import { SampleExprError } from './sample-expr.js';

type ParamHandler = (params: ServerParams, value: string | undefined, fail: (message: string) => void, kw: KeywordLine) => void;

const int = (min: number, max: number, apply: (p: ServerParams, n: number) => void): ParamHandler => (params, value, fail) => {
  const n = parseInteger(value ?? '', min, max);
  if (n === undefined) fail(`expects an integer between ${min} and ${max}, got '${value ?? ''}'`);
  else apply(params, n);
};

const time = (apply: (p: ServerParams, ms: number) => void): ParamHandler => (params, value, fail) => {
  const ms = parseTime(value ?? '');
  if (ms === undefined || ms === 0) fail(`expects a time value, got '${value ?? ''}'`);
  else apply(params, ms);
};

/** Server parameters with a value (`weight 2`) and flags (`backup`). */
const WITH_VALUE: ReadonlyMap<string, ParamHandler> = new Map<string, ParamHandler>([
  ['weight', int(0, 256, (p, n) => (p.weight = n))],
  ['maxconn', int(0, 10_000_000, (p, n) => (p.maxconn = n))],
  ['maxqueue', int(0, 10_000_000, (p, n) => (p.maxqueue = n))],
  ['minconn', int(0, 10_000_000, (p, n) => (p.minconn = n))],
  ['pool-max-conn', (p, v, fail) => {
    // HAProxy: -1 means unlimited, 0 no idle connection at all.
    const n = v === '-1' ? -1 : parseInteger(v ?? '', 0, 10_000_000);
    if (n === undefined) fail(`expects -1 (unlimited) or an integer between 0 and 10000000, got '${v ?? ''}'`);
    else p.poolMaxConn = n;
  }],
  ['pool-purge-delay', (p, v, fail) => {
    const ms = parseTime(v ?? '');
    if (ms === undefined) fail(`expects a time value, got '${v ?? ''}'`);
    else p.poolPurgeDelay = ms;
  }],
  ['id', int(1, 2_147_483_647, (p, n) => (p.id = n))],
  ['inter', time((p, ms) => (p.check = { ...p.check, inter: ms }))],
  ['fastinter', time((p, ms) => (p.check = { ...p.check, fastinter: ms }))],
  ['downinter', time((p, ms) => (p.check = { ...p.check, downinter: ms }))],
  ['rise', int(1, 1_000_000, (p, n) => (p.check = { ...p.check, rise: n }))],
  ['fall', int(1, 1_000_000, (p, n) => (p.check = { ...p.check, fall: n }))],
  ['port', int(1, 65535, (p, n) => (p.check = { ...p.check, port: n }))],
  ['addr', (p, v, fail) => (v ? (p.check = { ...p.check, addr: v }) : fail('expects an address'))],
  ['cookie', (p, v, fail) => (v ? (p.cookie = v) : fail('expects a cookie value'))],
  ['on-marked-down', (p, v, fail) => {
    if (v === 'shutdown-sessions') p.check = { ...p.check, shutdownSessionsOnDown: true };
    else if (v === 'shutdown-backup-sessions') fail(`'shutdown-backup-sessions' ${notImplementedMessage(0)}`);
    else fail(`expects 'shutdown-sessions', got '${v ?? ''}'`);
  }],
  ['slowstart', time((p, ms) => (p.check = { ...p.check, slowstart: ms }))],
  ['verify', (p, v, fail) => (v === 'none' || v === 'required' ? (p.verify = v) : fail(`expects 'none' or 'required', got '${v ?? ''}'`))],
  ['ca-file', (p, v, fail, kw) => {
    if (!v) return fail('expects a file of CA certificates');
    const content = kw.files.read(v);
    if (content instanceof Error) return fail(`cannot read '${v}': ${content.message}`);
    if (!content.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return fail(`'${v}' holds no PEM certificate`);
    p.caFile = v;
    p.ca = content;
  }],
  ['sni', (p, v, fail, kw) => {
    // HAProxy takes a sample expression, evaluated per connection; a fixed name is str(<name>), kept as text.
    const fixed = /^str\((.+)\)$/.exec(v ?? '');
    if (fixed) {
      p.sni = fixed[1]!;
      delete p.sniExpr;
      return;
    }
    if (!v) return fail('expects a sample expression such as str(<name>), req.hdr(host) or ssl_fc_sni');
    try {
      p.sniExpr = parseSampleExpr(v, kw.files);
      delete p.sni;
    } catch (e) {
      if (!(e instanceof SampleExprError)) throw e;
      fail(`'${v}': ${e.message}`);
    }
  }],
  ['verifyhost', (p, v, fail) => (v ? (p.verifyHost = v) : fail('expects a host name'))],
  ['check-sni', (p, v, fail) => (v ? (p.check = { ...p.check, sni: v }) : fail('expects a host name'))],
  ['agent-port', int(1, 65535, (p, n) => (p.agent = { ...p.agent, port: n }))],
  ['agent-inter', time((p, ms) => (p.agent = { ...p.agent, inter: ms }))],
  ['agent-send', (p, v, fail) => (v !== undefined ? (p.agent = { ...p.agent, send: v }) : fail('expects a string to send'))],
  ['agent-addr', (p, v, fail) => (v ? (p.agent = { ...p.agent, addr: v }) : fail('expects an address'))],
]);

const FLAGS: ReadonlyMap<string, (p: ServerParams) => void> = new Map<string, (p: ServerParams) => void>([
  ['backup', (p) => (p.backup = true)],
  ['no-backup', (p) => (p.backup = false)],
  ['disabled', (p) => (p.disabled = true)],
  ['enabled', (p) => (p.disabled = false)],
  ['ssl', (p) => (p.ssl = true)],
  ['no-ssl', (p) => (p.ssl = false)],
  ['check', (p) => (p.check = { ...p.check, enabled: true })],
  ['agent-check', (p) => (p.agent = { ...p.agent, enabled: true })],
  ['no-agent-check', (p) => (p.agent = { ...p.agent, enabled: false })],
  ['no-check', (p) => (p.check = { ...p.check, enabled: false })],
  ['check-ssl', (p) => (p.check = { ...p.check, ssl: true })],
  ['no-check-ssl', (p) => (p.check = { ...p.check, ssl: false })],
]);

const KNOWN = [...WITH_VALUE.keys(), ...FLAGS.keys(), ...NOT_IMPLEMENTED_SERVER_PARAMS.keys()];

/** Parses the parameters after a server's address (or after `default-server`). Errors go to the sink. */
export function parseServerParams(kw: KeywordLine, keyword: string, words: readonly string[]): ServerParams | undefined {
  const params: ServerParams = {};
  let ok = true;
  for (let i = 0; i < words.length; i++) {
    const name = words[i]!;
    const fail = (message: string) => {
      kw.sink.error(kw.file, kw.line, keyword, `'${name}' ${message}`);
      ok = false;
    };
    const withValue = WITH_VALUE.get(name);
    if (withValue) {
      withValue(params, words[++i], fail, kw);
      continue;
    }
    const flag = FLAGS.get(name);
    if (flag) {
      flag(params);
      continue;
    }
    const issue = NOT_IMPLEMENTED_SERVER_PARAMS.get(name);
    if (issue !== undefined) {
      kw.sink.error(kw.file, kw.line, `${keyword} ${name}`, notImplementedMessage(issue));
      ok = false;
      // Skip the value of parameters that take one, so it is not read as a parameter name.
      if (['maxqueue', 'slowstart', 'on-marked-up', 'on-error', 'observe', 'error-limit', 'track'].includes(name)) i++;
      continue;
    }
    kw.sink.error(kw.file, kw.line, keyword, `unknown server parameter '${name}'`, nearest(name, KNOWN));
    ok = false;
  }
  return ok ? params : undefined;
}

/** `server <name> <address>[:port] [param*]`. */
export function parseServerLine(kw: KeywordLine, args: readonly string[]): ServerDraft | undefined {
  if (args.length < 2) {
    kw.sink.error(kw.file, kw.line, 'server', 'expects <name> and <address>:<port>');
    return undefined;
  }
  const endpoint = parseServerEndpoint(args[1]!);
  if (typeof endpoint === 'string') {
    kw.sink.error(kw.file, kw.line, 'server', `server '${args[0]}': ${endpoint}`);
    return undefined;
  }
  const params = parseServerParams(kw, 'server', args.slice(2));
  if (!params) return undefined;
  return { name: args[0]!, endpoint, params, file: kw.file, line: kw.line };
}
