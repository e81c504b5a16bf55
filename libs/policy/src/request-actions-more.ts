import { ipFamily, type HttpRequestRule } from '@tandem/config';
import { compileExpr, compileLogFormat, compileValue, sampleText } from './log-format.js';
import { normalizeUri } from './normalize-uri.js';
import { txnOf } from './txn-state.js';
import type { RequestView } from './request-view.types.js';
import type { ActionImpl } from './rule-actions.js';

/**
 * Runtime of the http-request actions of http-request-more.ts (config): `early-hint`, `set-pathq`, `set-src|set-src-port|
 * set-dst|set-dst-port` as edits; `normalize-uri` as a step that may refuse the request (strict mode → 400).
 */

/** The view's addresses are read-only to fetches; these actions are the only writers. */
type Addresses = { src: string; srcPort: number; dst: string; dstPort: number };

export function compileMoreEdit(rule: HttpRequestRule): ActionImpl | undefined {
  switch (rule.action) {
    case 'early-hint': {
      // Gathered on the transaction; the proxy sends them as one `103 Early Hints` once the rules ran. HAProxy
      // ignores the action for a client older than HTTP/1.1, which could not parse an interim response.
      const value = compileValue(rule.value, rule.format);
      return (view) => {
        if (view.version !== '1.1') return;
        (txnOf(view).earlyHints ??= []).push([rule.name, value(view)]);
      };
    }
    case 'set-pathq': {
      // The path and query together replace the target's (an absolute form's scheme and authority are kept).
      const fmt = compileLogFormat(rule.format);
      return (view) => {
        const v = fmt(view);
        const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)/.exec(view.uri);
        view.uri = (m ? m[1]! : '') + v;
      };
    }
    case 'set-src':
    case 'set-dst': {
      const expr = compileExpr(rule.expr);
      const key = rule.action === 'set-src' ? 'src' : 'dst';
      // An address that does not parse leaves the connection's as it was (HAProxy's tcp_action_req_set_src).
      return (view) => {
        const t = sampleText(expr(view))?.trim();
        if (t === undefined || !ipFamily(t)) return;
        (view as Addresses)[key] = t.startsWith('::ffff:') && ipFamily(t.slice(7)) === 4 ? t.slice(7) : t;
        txnOf(view).addressesSet = true;
      };
    }
    case 'set-src-port':
    case 'set-dst-port': {
      const expr = compileExpr(rule.expr);
      const key = rule.action === 'set-src-port' ? 'srcPort' : 'dstPort';
      return (view) => {
        const n = Number(sampleText(expr(view)));
        if (!Number.isInteger(n) || n < 0 || n > 65535) return;
        (view as Addresses)[key] = n;
        txnOf(view).addressesSet = true;
      };
    }
  }
  return undefined;
}

/** `normalize-uri`: false when a strict normalizer refuses the target. */
export function compileNormalize(rule: Extract<HttpRequestRule, { action: 'normalize-uri' }>): (view: RequestView) => boolean {
  return (view) => {
    const out = normalizeUri(view.uri, rule.normalizer, rule.option);
    if (out === undefined) return false;
    view.uri = out;
    return true;
  };
}
