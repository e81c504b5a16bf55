/**
 * `http-request`, `http-response` and `http-after-response` rules and `redirect` (configuration.txt 4.2): each
 * line parsed into its rule, with HAProxy's action names and the actions Tandem does not implement refused.
 */
import type { DelHeaderAction, HttpAfterResponseRule, HttpRequestRule, HttpResponseRule, RedirectSpec } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { AclSyntaxError } from './acl-parse.js';
import { notImplementedMessage } from './not-implemented.js';
import { nearest } from './suggest.js';
import type { ConfigFilePort } from './parse-context.js';
import { logFormatValue, parseRequestOnlyAction, parseSetStatus, parseSharedAction, parseDenyStatus } from './http-actions.js';
import { parseResponseVerdict, RESPONSE_VERDICT_ACTIONS } from './response-verdict-keywords.js';
import { ruleBuilder } from './policy-draft.js';
import { parseTrack } from './stick-keywords.js';
import { parseStickCounterAction } from './stick-counter-actions.js';
import { allocRequestSlot } from './capture-keywords.js';
import { parseMoreRequestAction } from './http-request-more.js';
import { parsePatternAction } from './pattern-actions.js';
import { parseHttpReply } from './http-reply-keywords.js';
import { parseDelHeader } from './del-header-keywords.js';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** `scheme|location|prefix <value> [code N] [drop-query] [append-slash]`; returns the spec and the words after it. */
export function parseRedirect(args: readonly string[], files?: ConfigFilePort): { redirect: RedirectSpec; rest: readonly string[] } {
  const type = args[0];
  if (type !== 'scheme' && type !== 'location' && type !== 'prefix') throw new AclSyntaxError(`expects 'scheme', 'location' or 'prefix', got '${type ?? ''}'`);
  const value = args[1];
  if (value === undefined) throw new AclSyntaxError(`'${type}' expects a value`);
  let code: RedirectSpec['code'] = 302;
  let dropQuery = false;
  let appendSlash = false;
  let cookie: string | undefined;
  let i = 2;
  for (; i < args.length; i++) {
    const w = args[i]!;
    if (w === 'if' || w === 'unless') break;
    if (w === 'code') {
      const n = Number(args[++i]);
      if (!REDIRECT_CODES.has(n)) throw new AclSyntaxError(`'code': unsupported HTTP code '${args[i] ?? ''}' (must be one of 301, 302, 303, 307 or 308)`);
      code = n as RedirectSpec['code'];
    } else if (w === 'drop-query') dropQuery = true;
    else if (w === 'append-slash') appendSlash = true;
    else if (w === 'set-cookie' || w === 'clear-cookie') {
      // HAProxy (http_parse_redirect_rule): the cookie as written, then `; path=/;` (set) or `; path=/; Max-Age=0;` (clear).
      const c = args[++i];
      if (c === undefined || c === 'if' || c === 'unless') throw new AclSyntaxError(`missing argument for '${w}'`);
      cookie = w === 'set-cookie' ? `${c}; path=/;` : `${c}; path=/; Max-Age=0;`;
    } else if (w === 'ignore-empty' || w === 'keep-query') throw new AclSyntaxError(`unknown redirect option '${w}': HAProxy 2.6 has no such option (it came with a later HAProxy version)`);
    else throw new AclSyntaxError(`unknown redirect option '${w}' (expects code, drop-query, append-slash, set-cookie, clear-cookie, if, unless)`);
  }
  // `location` and `prefix` are log-format strings (HAProxy); `scheme` too, evaluated the same way.
  return { redirect: { type, ...logFormatValue(value, files), code, dropQuery, appendSlash, ...(cookie !== undefined ? { cookie } : {}) }, rest: args.slice(i) };
}

/** http-request actions of HAProxy 2.6 that belong to issue #6 and are not implemented yet. */
const LATER_REQUEST_ACTIONS = [
  'sc-inc-gpc',
  'cache-use', 'set-nice', 'set-mark', 'set-tos',
  'wait-for-body', 'wait-for-handshake', 'do-resolve', 'set-bandwidth-limit',
  'set-priority-class', 'set-priority-offset', 'strict-mode', 'send-spoe-group', 'disable-l7-retry',
];

const LATER_RESPONSE_ACTIONS = [
  'set-timeout',
  'cache-store', 'silent-drop', 'set-nice', 'set-mark', 'set-tos',
  'send-spoe-group', 'strict-mode', 'wait-for-body', 'set-bandwidth-limit',
];

const SHARED_ACTIONS = ['replace-header', 'replace-value', 'set-var', 'set-var-fmt', 'unset-var', 'set-log-level', 'capture'];

export const REQUEST_ACTIONS = ['track-sc0', 'track-sc1', 'track-sc2', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'early-hint', 'allow', 'auth', 'reject', 'silent-drop', 'set-pathq', 'normalize-uri', 'set-src', 'set-src-port', 'set-dst', 'set-dst-port', 'deny', 'redirect', 'set-header', 'add-header', 'del-header', 'return', 'use-service', 'set-path', 'set-query', 'set-uri', 'set-method', 'tarpit', 'set-timeout', ...SHARED_ACTIONS];

export const RESPONSE_ACTIONS = ['set-header', 'add-header', 'del-header', 'set-status', ...SHARED_ACTIONS, ...RESPONSE_VERDICT_ACTIONS];

export const AFTER_RESPONSE_ACTIONS = ['allow', 'set-header', 'add-header', 'del-header', 'set-status', 'replace-header', 'replace-value', 'set-var', 'set-var-fmt', 'unset-var', 'set-log-level', 'capture'];

function headerAction(action: 'set-header' | 'add-header' | 'del-header', args: readonly string[], files?: ConfigFilePort): { rule: { action: 'set-header' | 'add-header'; name: string; value: string } | DelHeaderAction; rest: readonly string[] } {
  const name = args[0];
  if (!name || name === 'if' || name === 'unless') throw new AclSyntaxError(`'${action}' expects a header name`);
  if (action === 'del-header') return parseDelHeader(name, args);
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new AclSyntaxError(`'${name}' is not a valid header name`);
  const value = args[1];
  if (value === undefined) throw new AclSyntaxError(`'${action}' expects a header name and a value`);
  return { rule: { action, name, ...logFormatValue(value, files) }, rest: args.slice(2) };
}

export function parseRequestRule(draft: ProxyDraft, kw: KeywordLine, words: readonly string[]): HttpRequestRule {
  const action = words[0] ?? '';
  const rest = words.slice(1);
  const done = ruleBuilder<HttpRequestRule>(draft, kw);
  // `sc-inc-gpc0(<n>)`, `sc-inc-gpc1(<n>)`, `sc-set-gpt0(<n>) <int|expr>` (stick-counter-actions.ts).
  const sc = parseStickCounterAction(words, kw.files);
  if (sc) return done(sc.rule, sc.rest);
  const track = /^track-sc([012])$/.exec(action);
  if (track) {
    const { rule, rest: after } = parseTrack(draft, kw, Number(track[1]) as 0 | 1 | 2, rest);
    return done(rule, after);
  }
  switch (action) {
    case 'allow':
      return done({ action }, rest);
    case 'deny':
    case 'tarpit': {
      // `deny_status` first, then HAProxy's http reply options (http-reply-keywords.ts).
      const { status: first, i } = parseDenyStatus(rest, action === 'deny' ? 403 : 500);
      const { status, reply, rest: after } = parseHttpReply(action, rest.slice(i), first, kw);
      return done({ action, status, ...(reply ? { reply } : {}) }, after);
    }
    case 'redirect': {
      const { redirect, rest: after } = parseRedirect(rest, kw.files);
      return done({ action, redirect }, after);
    }
    case 'set-header':
    case 'add-header':
    case 'del-header': {
      const { rule, rest: after } = headerAction(action, rest, kw.files);
      return done(rule, after);
    }
    case 'use-service': {
      // HAProxy's built-in services: prometheus-exporter (issue #5); Lua services are not supported.
      if (rest[0] !== 'prometheus-exporter') throw new AclSyntaxError(`'use-service' expects 'prometheus-exporter' (the only built-in service), got '${rest[0] ?? ''}'`);
      return done({ action, service: 'prometheus-exporter' }, rest.slice(1));
    }
    case 'return': {
      const { status, reply, rest: after } = parseHttpReply(action, rest, 200, kw);
      return done({ action, status, ...(reply ?? { headers: [] }) }, after);
    }
  }
  const pattern = parsePatternAction(action, rest, kw.files);
  if (pattern) return done(pattern.rule, pattern.rest);
  const more = parseSharedAction(action, rest, kw.files, 'request') ?? parseRequestOnlyAction(action, rest, kw.files) ?? parseMoreRequestAction(action, rest, kw.files, draft.name);
  // `capture … len` takes the frontend's next request slot, numbered with `capture request header` (HAProxy).
  if (more?.rule.action === 'capture' && more.rule.len !== undefined) return done({ ...more.rule, slot: allocRequestSlot(draft, more.rule.len as number) }, more.rest);
  if (more) return done(more.rule, more.rest);
  if (LATER_REQUEST_ACTIONS.includes(action) || action.startsWith('lua.')) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(0)}`);
  throw new AclSyntaxError(`unknown action '${action}'`, nearest(action, [...REQUEST_ACTIONS, ...LATER_REQUEST_ACTIONS]));
}

/** The actions http-response and http-after-response share: `set-header|add-header|del-header` and `set-status`. */
function responseHeaderOrStatus<R>(action: string, args: readonly string[], kw: KeywordLine, done: (rule: object, after: readonly string[]) => R): R | undefined {
  if (action === 'set-header' || action === 'add-header' || action === 'del-header') {
    const { rule, rest } = headerAction(action, args.slice(1), kw.files);
    return done(rule, rest);
  }
  if (action === 'set-status') {
    const { rule, rest } = parseSetStatus(args.slice(1));
    return done(rule, rest);
  }
  return undefined;
}

export function parseResponseRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): HttpResponseRule {
  const action = args[0] ?? '';
  const done = ruleBuilder<HttpResponseRule>(draft, kw);
  const common = responseHeaderOrStatus(action, args, kw, done);
  if (common) return common;
  const pattern = parsePatternAction(action, args.slice(1), kw.files);
  if (pattern) return done(pattern.rule, pattern.rest);
  const more = parseSharedAction(action, args.slice(1), kw.files, 'response');
  if (more) return done(more.rule, more.rest);
  const verdict = parseResponseVerdict(args, (words) => parseRequestRule(draft, kw, words));
  if (verdict) return verdict;
  if (LATER_RESPONSE_ACTIONS.includes(action) || action.startsWith('lua.')) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(0)}`);
  throw new AclSyntaxError(`unknown action '${action}'`, nearest(action, [...RESPONSE_ACTIONS, ...LATER_RESPONSE_ACTIONS]));
}

/** `http-after-response <action> … [if|unless cond]` with the actions of AFTER_RESPONSE_ACTIONS. */
export function parseAfterResponseRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): HttpAfterResponseRule {
  const action = args[0] ?? '';
  const done = ruleBuilder<HttpAfterResponseRule>(draft, kw);
  const common = responseHeaderOrStatus(action, args, kw, done);
  if (common) return common;
  if (action === 'allow') return done({ action }, args.slice(1));
  // replace-header/value, set-var, set-var-fmt, unset-var, set-log-level, capture … id: as http-response's.
  const more = parseSharedAction(action, args.slice(1), kw.files, 'response');
  if (more) return done(more.rule, more.rest);
  if (['set-map', 'del-map', 'add-acl', 'del-acl', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'strict-mode'].includes(action)) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(0)}`);
  throw new AclSyntaxError(`unknown action '${action}' (expects ${AFTER_RESPONSE_ACTIONS.join(', ')})`, nearest(action, AFTER_RESPONSE_ACTIONS));
}
