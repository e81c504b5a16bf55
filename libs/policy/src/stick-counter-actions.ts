import type { StickCounterAction } from '@tandem/config';
import { compileExpr, sampleValue } from './log-format.js';
import type { RequestView } from './request-view.types.js';

/** Rule actions that are stick-counter writes (http-request, http-response, tcp-request). */
export function isStickCounterAction(rule: { readonly action: string }): rule is StickCounterAction {
  return rule.action === 'sc-inc-gpc0' || rule.action === 'sc-inc-gpc1' || rule.action === 'sc-set-gpt0';
}

/**
 * An expression's value as gpt0 takes it (HAProxy casts the sample to a signed integer, then stores it unsigned):
 * integers as they are, booleans 0/1, texts by their leading integer; undefined (nothing written) otherwise.
 */
function toInt(v: string | number | boolean | undefined): number | undefined {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * `sc-inc-gpc0(<n>)`, `sc-inc-gpc1(<n>)`, `sc-set-gpt0(<n>) <int|expr>` compiled once: each writes the entry stick
 * counter n tracks (nothing when it tracks none, or the table does not store the data type), as HAProxy's
 * action_inc_gpc0/1 and action_set_gpt0.
 */
export function compileStickCounterAction(rule: StickCounterAction): (view: RequestView) => void {
  const counter = rule.counter;
  switch (rule.action) {
    case 'sc-inc-gpc0':
      return (view) => view.stick?.incGpc0(counter);
    case 'sc-inc-gpc1':
      return (view) => view.stick?.incGpc1?.(counter);
    case 'sc-set-gpt0': {
      if (rule.expr === undefined) {
        const value = rule.value ?? 0;
        return (view) => view.stick?.setGpt0?.(counter, value);
      }
      const expr = compileExpr(rule.expr);
      return (view) => {
        if (!view.stick) return;
        const n = toInt(sampleValue(expr(view)));
        if (n !== undefined) view.stick.setGpt0?.(counter, n);
      };
    }
  }
}
