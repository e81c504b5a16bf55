import type { StickCounterAction } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { sampleExpr } from './http-actions.js';

/**
 * The stick-counter actions of http-request, http-response and tcp-request connection|session|content (HAProxy 2.6
 * configuration.txt 4.2): `sc-inc-gpc0(<sc-id>)`, `sc-inc-gpc1(<sc-id>)` and `sc-set-gpt0(<sc-id>) { <int> | <expr> }`.
 * The counter is written in the action's word (`sc-inc-gpc1(2)`); without it, counter 0 (HAProxy's parsers).
 */
const WORD = /^(sc-inc-gpc0|sc-inc-gpc1|sc-set-gpt0)(\(.*)?$/;

const isCond = (w: string | undefined) => w === undefined || w === 'if' || w === 'unless';

/** The action name of `word` if it is one of these (`sc-set-gpt0(1)` → `sc-set-gpt0`). */
export function stickCounterActionName(word: string | undefined): string | undefined {
  return WORD.exec(word ?? '')?.[1];
}

/** `words` (action first) as a stick-counter action and the words left for the condition; undefined if not one. */
export function parseStickCounterAction(words: readonly string[], files: ConfigFilePort | undefined): { rule: StickCounterAction; rest: readonly string[] } | undefined {
  const m = WORD.exec(words[0] ?? '');
  if (!m) return undefined;
  const action = m[1] as StickCounterAction['action'];
  let counter: 0 | 1 | 2 = 0;
  if (m[2] !== undefined) {
    const id = /^\(([012])\)$/.exec(m[2]);
    if (!id) throw new AclSyntaxError(`'${action}' expects a stick counter 0, 1 or 2 ('${action}(0)'), got '${m[2]}'`);
    counter = Number(id[1]) as 0 | 1 | 2;
  }
  const rest = words.slice(1);
  if (action !== 'sc-set-gpt0') return { rule: { action, counter }, rest };
  const v = rest[0];
  if (isCond(v)) throw new AclSyntaxError(`'sc-set-gpt0' expects an integer or a sample expression (e.g. 'sc-set-gpt0(0) 1')`);
  // HAProxy reads the word as an integer when all of it is one (read_int64), else as a sample expression.
  if (/^[+-]?\d+$/.test(v!)) return { rule: { action, counter, value: Number(v) }, rest: rest.slice(1) };
  return { rule: { action, counter, expr: sampleExpr(v!, files) }, rest: rest.slice(1) };
}
