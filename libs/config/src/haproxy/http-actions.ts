import type { LogFormat, SampleExpr, VarScope } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { parseLogFormat, parseSampleExpr, plainText } from './log-format.js';
import { SampleExprError } from './sample-expr.js';
import { parseTime } from './units.js';

/**
 * The http-request / http-response / http-after-response actions added for issue #6 items 2 and 4 (HAProxy 2.6
 * configuration.txt 4.2, "http-request", "http-response", "http-after-response"). Each parser returns the rule's
 * own fields and the words left for the condition; errors are AclSyntaxErrors (file:line from the caller).
 */

type Parsed = { rule: Record<string, unknown>; rest: readonly string[] };

/** Runs a sample/log-format parser, turning its errors into AclSyntaxErrors. */
function lift<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SampleExprError) throw new AclSyntaxError(e.message, e.suggestion);
    throw e;
  }
}

export function logFormat(text: string, files: ConfigFilePort | undefined): LogFormat {
  return lift(() => parseLogFormat(text, files));
}

export function sampleExpr(text: string, files: ConfigFilePort | undefined): SampleExpr {
  return lift(() => parseSampleExpr(text, files));
}

/** A value that is a log-format string: `value` is its text when plain, `format` is set when it has `%[…]`. */
export function logFormatValue(text: string, files: ConfigFilePort | undefined): { value: string; format?: LogFormat } {
  const format = logFormat(text, files);
  const plain = plainText(format);
  return plain !== undefined ? { value: plain } : { value: text, format };
}

const isCond = (w: string | undefined) => w === undefined || w === 'if' || w === 'unless';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SCOPES: readonly VarScope[] = ['proc', 'sess', 'txn', 'req', 'res'];

/** `set-var(<scope>.<name>)`: the scope and name, checked. */
export function parseVarName(text: string, what: string): { scope: VarScope; name: string } {
  const m = /^([a-z]+)\.([A-Za-z0-9_.]+)$/.exec(text);
  if (!m || !SCOPES.includes(m[1] as VarScope)) throw new AclSyntaxError(`${what}: '${text}' is not a variable name (expects <scope>.<name> with scope proc, sess, txn, req or res)`);
  return { scope: m[1] as VarScope, name: m[2]! };
}

const LOG_LEVELS = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'silent']);

/**
 * Actions `http-request` and `http-response` share: `set-var(<v>) <expr>`, `unset-var(<v>)`,
 * `replace-header|replace-value <name> <regex> <fmt>`, `set-log-level <level>`, `capture <sample> len <n>`.
 * Undefined when `action` is none of them.
 */
export function parseSharedAction(action: string, rest: readonly string[], files: ConfigFilePort | undefined, direction: 'request' | 'response'): Parsed | undefined {
  const v = /^(set-var|set-var-fmt|unset-var)\((.*)\)$/.exec(action);
  if (v) {
    const { scope, name } = parseVarName(v[2]!, v[1]!);
    if (v[1] === 'unset-var') return { rule: { action: 'unset-var', scope, name }, rest };
    if (v[1] === 'set-var-fmt') {
      if (isCond(rest[0])) throw new AclSyntaxError(`'set-var-fmt' expects a log-format string (e.g. 'set-var-fmt(txn.from) %ci:%cp')`);
      return { rule: { action: 'set-var-fmt', scope, name, format: logFormat(rest[0]!, files) }, rest: rest.slice(1) };
    }
    if (isCond(rest[0])) throw new AclSyntaxError(`'set-var' expects a sample expression (e.g. 'set-var(txn.host) req.hdr(host),lower')`);
    return { rule: { action: 'set-var', scope, name, expr: sampleExpr(rest[0]!, files) }, rest: rest.slice(1) };
  }
  if (action === 'set-var' || action === 'unset-var' || action === 'set-var-fmt') throw new AclSyntaxError(`'${action}' expects its variable in parentheses: '${action}(txn.name)'`);
  switch (action) {
    case 'replace-header':
    case 'replace-value': {
      const [name, regex, fmt] = rest;
      if (isCond(name) || isCond(regex) || isCond(fmt)) throw new AclSyntaxError(`'${action}' expects <name> <regex> <replace-fmt>`);
      if (!HEADER_NAME.test(name!)) throw new AclSyntaxError(`'${name}' is not a valid header name`);
      try {
        new RegExp(`^(?:${regex})$`);
      } catch (e) {
        throw new AclSyntaxError(`invalid regex '${regex}': ${(e as Error).message}`);
      }
      return { rule: { action, name, regex, format: logFormat(fmt!, files) }, rest: rest.slice(3) };
    }
    case 'set-log-level': {
      const level = rest[0];
      if (!level || !LOG_LEVELS.has(level)) throw new AclSyntaxError(`'set-log-level' expects one of ${[...LOG_LEVELS].join(', ')}, got '${level ?? ''}'`);
      return { rule: { action, level }, rest: rest.slice(1) };
    }
    case 'capture': {
      // HAProxy: a request capture takes a new slot (`len`) or a declared one (`id`); a response capture only `id`.
      const usage = direction === 'request' ? '<sample> len <length> or <sample> id <slot>' : '<sample> id <slot>';
      if (isCond(rest[0])) throw new AclSyntaxError(`'capture' expects ${usage}`);
      const n = Number(rest[2]);
      if (rest[1] === 'id') {
        if (!Number.isInteger(n) || n < 0) throw new AclSyntaxError(`'capture … id' expects a slot number (0 or more), got '${rest[2] ?? ''}'`);
        return { rule: { action, expr: sampleExpr(rest[0]!, files), slot: n }, rest: rest.slice(3) };
      }
      if (rest[1] !== 'len' || direction === 'response') throw new AclSyntaxError(`'capture' expects ${usage}, got '${rest.slice(1, 3).join(' ')}'`);
      if (!Number.isInteger(n) || n <= 0) throw new AclSyntaxError(`'capture … len' expects a positive integer, got '${rest[2] ?? ''}'`);
      return { rule: { action, expr: sampleExpr(rest[0]!, files), len: n }, rest: rest.slice(3) };
    }
  }
  return undefined;
}

/** Request-only actions: `set-path|set-query|set-uri|set-method <fmt>`, `set-timeout` (tarpit: http-rule-keywords.ts). */
export function parseRequestOnlyAction(action: string, rest: readonly string[], files: ConfigFilePort | undefined): Parsed | undefined {
  switch (action) {
    case 'set-path':
    case 'set-query':
    case 'set-uri':
    case 'set-method': {
      if (isCond(rest[0])) throw new AclSyntaxError(`'${action}' expects a log-format value`);
      const format = logFormat(rest[0]!, files);
      if (action === 'set-method' && plainText(format) !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(plainText(format)!)) throw new AclSyntaxError(`'${rest[0]}' is not a valid method`);
      return { rule: { action, format }, rest: rest.slice(1) };
    }
    case 'set-timeout': {
      const which = rest[0];
      if (which !== 'server' && which !== 'tunnel') throw new AclSyntaxError(`'set-timeout' expects 'server' or 'tunnel', got '${which ?? ''}'`);
      const ms = rest[1] === undefined ? undefined : parseTime(rest[1]);
      if (ms === undefined) throw new AclSyntaxError(`'set-timeout ${which}' expects a time (a constant; sample expressions are not supported), got '${rest[1] ?? ''}'`);
      return { rule: { action, timeout: which, ms }, rest: rest.slice(2) };
    }
  }
  return undefined;
}

/** `set-status <code> [reason <str>]` (http-response and http-after-response). */
export function parseSetStatus(rest: readonly string[]): Parsed {
  const status = Number(rest[0]);
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new AclSyntaxError(`'set-status' expects a status code (100-999), got '${rest[0] ?? ''}'`);
  if (rest[1] === 'reason') {
    if (rest[2] === undefined) throw new AclSyntaxError("'reason' expects a text");
    return { rule: { action: 'set-status', status, reason: rest[2] }, rest: rest.slice(3) };
  }
  return { rule: { action: 'set-status', status }, rest: rest.slice(1) };
}

/** `[deny_status|status <code>]` at the start of `rest` (deny, tarpit): the status and how many words it took. */
export function parseDenyStatus(rest: readonly string[], fallback: number): { status: number; i: number } {
  if (rest[0] !== 'deny_status' && rest[0] !== 'status') return { status: fallback, i: 0 };
  const status = Number(rest[1]);
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new AclSyntaxError(`'${rest[0]}' expects a status code between 200 and 599, got '${rest[1] ?? ''}'`);
  return { status, i: 2 };
}
