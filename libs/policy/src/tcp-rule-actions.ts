import type { HttpRequestRule, TcpRequestRule } from '@tandem/config';
import { compileSharedAction } from './rule-actions.js';
import { compileMoreEdit } from './request-actions-more.js';
import { compileStickCounterAction, isStickCounterAction } from './stick-counter-actions.js';
import type { RequestView } from './request-view.types.js';

/**
 * The non-final `tcp-request` actions (configuration.txt 4.2) compiled once: `sc-inc-gpc0|1`, `sc-set-gpt0`,
 * `set-var`, `set-var-fmt`, `unset-var`, `capture … len`, `set-src`, `set-dst`. Each acts, then the rule set goes
 * on, as HAProxy's tcp_exec_* loops do. Undefined for accept, reject, silent-drop and track-sc (the callers' own).
 * Variables and captures use the view's transaction (`sess.` vars outlive it); set-src/set-dst mark the view's
 * addresses as rewritten, which the proxy keeps for the connection.
 */
export function compileTcpAction(rule: TcpRequestRule): ((view: RequestView) => void) | undefined {
  if (isStickCounterAction(rule)) return compileStickCounterAction(rule);
  switch (rule.action) {
    case 'set-var':
    case 'set-var-fmt':
    case 'unset-var':
    case 'capture': {
      const impl = compileSharedAction(rule);
      return (view) => impl(view, view.headers);
    }
    case 'set-src':
    case 'set-dst': {
      // The same rewrite as http-request set-src/set-dst (an address that does not parse changes nothing).
      const impl = compileMoreEdit(rule as HttpRequestRule)!;
      return (view) => impl(view, view.headers);
    }
  }
  return undefined;
}
