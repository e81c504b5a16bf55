import type { HttpResponseRule } from '@tandem/config';
import { compileKeyExpr } from './key-expr.js';
import { compileValue } from './log-format.js';
import { replyContent, returnAnswer, type ReplyContent } from './return-action.js';
import { compileStickCounterAction } from './stick-counter-actions.js';
import type { RequestView } from './request-view.types.js';

/**
 * What `http-response` rules decided beyond header edits (configuration.txt 4.2, "http-response"): the server's
 * response is replaced by a generated one. `deny` answers its status's error page (502 by default) and counts as a
 * denied response (`dresp`); `return` and `redirect` answer the response they describe.
 */
export type ResponseVerdict =
  | { readonly kind: 'deny'; readonly status: number; readonly reply?: ReplyContent }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly cookie?: string }
  | { readonly kind: 'return'; readonly status: number; readonly contentType?: string; readonly body?: string; readonly headers: ReadonlyArray<readonly [string, string]> };

/**
 * One compiled verdict-kind rule: `continue` goes on with the next rule, `stop` (`allow`) ends this proxy's
 * http-response rules (the frontend's still run after a backend's `allow`, as in HAProxy), a verdict ends them all.
 */
export type ResponseStep = (view: RequestView) => 'continue' | 'stop' | ResponseVerdict;

type VerdictRule = Extract<HttpResponseRule, { readonly action: 'allow' | 'deny' | 'return' | 'redirect' | 'track-sc' | 'sc-inc-gpc0' | 'sc-inc-gpc1' | 'sc-set-gpt0' }>;

const VERDICT_ACTIONS = new Set(['allow', 'deny', 'return', 'redirect', 'track-sc', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0']);

export function isVerdictRule(rule: { readonly action: string }): rule is VerdictRule {
  return VERDICT_ACTIONS.has(rule.action);
}

/** Compiles allow / deny / return / redirect / track-sc / sc-inc-gpc0|1 / sc-set-gpt0 once per config generation. */
export function compileResponseStep(rule: VerdictRule): ResponseStep {
  switch (rule.action) {
    case 'allow':
      return () => 'stop';
    case 'deny': {
      const reply = rule.reply;
      if (reply) return (view) => ({ kind: 'deny', status: rule.status, reply: replyContent(reply, view) });
      const v: ResponseVerdict = { kind: 'deny', status: rule.status };
      return () => v;
    }
    case 'return':
      return (view) => returnAnswer(rule, view);
    case 'redirect': {
      // Only `location` reaches here (the parser refuses scheme/prefix on responses, as HAProxy does).
      const location = compileValue(rule.redirect.value, rule.redirect.format);
      const status = rule.redirect.code;
      const cookie = rule.redirect.cookie;
      if (cookie !== undefined) return (view) => ({ kind: 'redirect', status, location: location(view), cookie });
      return (view) => ({ kind: 'redirect', status, location: location(view) });
    }
    case 'track-sc': {
      // As http-request track-sc: a key that is no value, or empty, tracks nothing; the tracker casts it.
      const key = compileKeyExpr(rule.key);
      const { counter, table } = rule;
      return (view) => {
        const k = view.stick ? key(view) : undefined;
        if (k !== undefined && k.value !== '') view.stick!.track(counter, k.value, table, k.type);
        return 'continue';
      };
    }
    case 'sc-inc-gpc0':
    case 'sc-inc-gpc1':
    case 'sc-set-gpt0': {
      const act = compileStickCounterAction(rule);
      return (view) => {
        act(view);
        return 'continue';
      };
    }
  }
}
