import type { LogFormat, SharedHttpAction } from '@tandem/config';
import { compileExpr, compileLogFormat, sampleText, sampleValue, type TextEval } from './log-format.js';
import type { HeaderList, RequestView } from './request-view.types.js';
import { txnOf, writeVar } from './txn-state.js';

/**
 * The rewriting actions of issue #6 item 4 (HAProxy's http_action_* semantics), each compiled once into
 * `(view, headers) => void`. `headers` is the message being edited: the request's (`view.headers`) or a response's.
 */
export type ActionImpl = (view: RequestView, headers: HeaderList) => void;

/** The request target split as HAProxy edits it: authority prefix (absolute form), path, and query with its `?`. */
function splitUri(uri: string): { prefix: string; path: string; query: string } {
  let start = 0;
  if (uri[0] !== '/' && uri !== '*') {
    const scheme = uri.indexOf('://');
    if (scheme >= 0) {
      const slash = uri.slice(scheme + 3).search(/[/?]/);
      start = slash < 0 ? uri.length : scheme + 3 + slash;
    }
  }
  const q = uri.indexOf('?', start);
  return q < 0 ? { prefix: uri.slice(0, start), path: uri.slice(start), query: '' } : { prefix: uri.slice(0, start), path: uri.slice(start, q), query: uri.slice(q) };
}

/** `set-path <fmt>`: the path is replaced, the query kept. */
export function setPath(uri: string, path: string): string {
  const u = splitUri(uri);
  return u.prefix + path + u.query;
}

/** `set-query <fmt>`: the query is replaced (a leading `?` in the value is not doubled); an empty value drops `?`. */
export function setQuery(uri: string, query: string): string {
  const u = splitUri(uri);
  const q = query.startsWith('?') ? query.slice(1) : query;
  return u.prefix + u.path + (q === '' ? '' : `?${q}`);
}

/** `\0`…`\9` in a replacement are the regex match and its groups (HAProxy's exp_replace). */
function expand(fmt: string, m: RegExpExecArray): string {
  return fmt.replace(/\\(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

/**
 * `replace-header`: every field `name` whose whole value the regex matches gets the format's expansion as its
 * new value; `replace-value`: the same on each comma-separated value of the field, rejoined with `, `.
 */
export function replaceHeader(h: HeaderList, name: string, re: RegExp, fmt: string, perValue: boolean): void {
  const n = name.toLowerCase();
  const one = (v: string): string => {
    const m = re.exec(v);
    return m ? expand(fmt, m) : v;
  };
  for (let i = 0; i < h.names.length; i++) {
    if (h.names[i] !== n) continue;
    h.values[i] = perValue ? h.values[i]!.split(',').map((p) => one(p.trim())).join(', ') : one(h.values[i]!);
  }
}

function fmtEval(format: LogFormat): TextEval {
  return compileLogFormat(format);
}

/** The shared actions (set-var, set-var-fmt, unset-var, replace-header/value, set-log-level, capture). */
export function compileSharedAction(rule: SharedHttpAction): ActionImpl {
  switch (rule.action) {
    case 'set-var': {
      const expr = compileExpr(rule.expr);
      // An absent sample leaves the variable as it was (HAProxy's action_store).
      return (view) => {
        const v = sampleValue(expr(view));
        if (v !== undefined) writeVar(view, rule.scope, rule.name, v);
      };
    }
    case 'set-var-fmt': {
      // The format's text, always a string (HAProxy's action_store with a log-format).
      const fmt = fmtEval(rule.format);
      return (view) => writeVar(view, rule.scope, rule.name, fmt(view));
    }
    case 'unset-var':
      return (view) => writeVar(view, rule.scope, rule.name, undefined);
    case 'replace-header':
    case 'replace-value': {
      const re = new RegExp(rule.regex);
      const fmt = fmtEval(rule.format);
      const per = rule.action === 'replace-value';
      return (view, headers) => replaceHeader(headers, rule.name, re, fmt(view), per);
    }
    case 'set-log-level':
      return (view) => {
        txnOf(view).logLevel = rule.level;
      };
    case 'capture': {
      // `len`: the rule's own slot; `id`: a declared slot of the frontend, truncated to its length. Request rules
      // fill request slots, response rules response slots (HAProxy's req_cap / res_cap).
      const expr = compileExpr(rule.expr);
      return (view) => {
        const t = sampleText(expr(view));
        if (t === undefined) return;
        const side = view.response ? 'response' : 'request';
        const len = rule.len ?? view.txnInfo?.captures?.[side][rule.slot]?.len;
        if (len === undefined) return;
        const txn = txnOf(view);
        (side === 'request' ? txn.reqCaptures : txn.resCaptures)[rule.slot] = t.slice(0, len);
      };
    }
  }
}

/** `set-path|set-query|set-uri|set-method <fmt>` on the request. */
export function compileUriAction(action: 'set-path' | 'set-query' | 'set-uri' | 'set-method', format: LogFormat): ActionImpl {
  const fmt = fmtEval(format);
  switch (action) {
    case 'set-path':
      return (view) => {
        view.uri = setPath(view.uri, fmt(view));
      };
    case 'set-query':
      return (view) => {
        view.uri = setQuery(view.uri, fmt(view));
      };
    case 'set-uri':
      return (view) => {
        view.uri = fmt(view);
      };
    case 'set-method':
      return (view) => {
        view.method = fmt(view);
      };
  }
}
