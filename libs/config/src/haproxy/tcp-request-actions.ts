import type { TcpRequestRule } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { AclSyntaxError } from './acl-parse.js';
import { parseSharedAction, sampleExpr } from './http-actions.js';
import { allocRequestSlot } from './capture-keywords.js';
import { parseStickCounterAction } from './stick-counter-actions.js';

/** The rule set a `tcp-request` rule belongs to: what HAProxy 2.6 allows differs (configuration.txt 4.2). */
export type TcpRuleStage = 'connection' | 'session' | 'content';

/** Actions beyond accept/reject/track-sc each stage takes, for the "unknown action" hint. */
export const TCP_MORE_ACTIONS: Readonly<Record<TcpRuleStage, readonly string[]>> = {
  connection: ['sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'set-var', 'set-var-fmt', 'unset-var', 'silent-drop', 'set-src', 'set-dst'],
  session: ['sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'set-var', 'set-var-fmt', 'unset-var', 'silent-drop', 'set-src', 'set-dst'],
  content: ['sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'set-var', 'set-var-fmt', 'unset-var', 'silent-drop', 'set-src', 'set-dst', 'capture'],
};

const isCond = (w: string | undefined) => w === undefined || w === 'if' || w === 'unless';

type Parsed = { rule: Record<string, unknown>; rest: readonly string[] };

/**
 * `sc-inc-gpc0|1(<n>)`, `sc-set-gpt0(<n>) <int|expr>`, `set-var(<v>) <expr>`, `set-var-fmt(<v>) <fmt>`,
 * `unset-var(<v>)`, `silent-drop`, `set-src <expr>`, `set-dst <expr>` in every stage, and `capture <expr> len <n>`
 * in content rules only (it takes the frontend's next request capture slot, as http-request capture does).
 * Undefined when `args[0]` is none of them; an error when the stage does not take it (HAProxy refuses it too).
 */
export function parseTcpMoreAction(draft: ProxyDraft, kw: KeywordLine, args: readonly string[], stage: TcpRuleStage): { rule: TcpRequestRule | Parsed['rule']; rest: readonly string[] } | undefined {
  const sc = parseStickCounterAction(args, kw.files);
  if (sc) return sc;
  const action = args[0] ?? '';
  const rest = args.slice(1);
  if (/^(set-var|set-var-fmt|unset-var)\(/.test(action)) return parseSharedAction(action, rest, kw.files, 'request');
  switch (action) {
    case 'silent-drop':
      return { rule: { action }, rest };
    case 'set-src':
    case 'set-dst':
      if (isCond(rest[0])) throw new AclSyntaxError(`'${action}' expects a sample expression (e.g. '${action} hdr(x-forwarded-for)')`);
      return { rule: { action, expr: sampleExpr(rest[0]!, kw.files) }, rest: rest.slice(1) };
    case 'capture': {
      if (stage !== 'content') throw new AclSyntaxError(`'capture' is only available in 'tcp-request content' rules`);
      if (isCond(rest[0]) || rest[1] !== 'len') throw new AclSyntaxError(`'capture' expects <sample> len <length>`);
      const len = Number(rest[2]);
      if (!Number.isInteger(len) || len < 1 || len > 65535) throw new AclSyntaxError(`'capture … len' expects a length between 1 and 65535, got '${rest[2] ?? ''}'`);
      return { rule: { action, expr: sampleExpr(rest[0]!, kw.files), slot: allocRequestSlot(draft, len), len }, rest: rest.slice(3) };
    }
  }
  return undefined;
}
