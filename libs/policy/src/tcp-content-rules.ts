import type { AclDefinition, Condition, TcpRequestRule } from '@tandem/config';
import { compileAclTerm, type Predicate } from './condition.js';
import { compileKeyExpr, type TypedSample } from './key-expr.js';
import type { RequestView } from './request-view.types.js';
import { compileTcpAction } from './tcp-rule-actions.js';

/**
 * HAProxy's three-valued ACL result (acl.c: ACL_TEST_FAIL / MISS / PASS). MISS means "no match yet, but a fetch said
 * its sample may change" (a Layer 6 fetch lacking data before the buffer is final): the rule set waits.
 */
export type TriState = 'pass' | 'fail' | 'miss';
export type TriPredicate = (view: RequestView) => TriState;

/** One fetch term: PASS if it matches; otherwise MISS when a fetch flagged `mayChange`, else FAIL. */
function tri(p: Predicate): TriPredicate {
  return (view) => {
    const payload = view.payload;
    if (payload) payload.mayChange = false;
    if (p(view)) return 'pass';
    return payload?.mayChange ? 'miss' : 'fail';
  };
}

/** A named ACL: its lines ORed, the first PASS wins, a MISS outranks a FAIL (acl_exec_cond). */
function triAcl(def: AclDefinition): TriPredicate {
  const terms = def.terms.map((t) => tri(compileAclTerm(t)));
  return (view) => {
    let res: TriState = 'fail';
    for (const t of terms) {
      const r = t(view);
      if (r === 'pass') return 'pass';
      if (r === 'miss') res = 'miss';
    }
    return res;
  };
}

const negate = (r: TriState): TriState => (r === 'pass' ? 'fail' : r === 'fail' ? 'pass' : 'miss');

/**
 * `if|unless` in three values, with HAProxy's order: within an AND-group the first non-PASS term ends the group (so
 * `A B` with A missing is MISS even when B would fail); between groups PASS wins, then MISS. `unless` inverts PASS and
 * FAIL and keeps MISS (acl_pass / the rule's polarity).
 */
export function compileTriCondition(cond: Condition | undefined, acls: ReadonlyMap<string, AclDefinition>): TriPredicate {
  if (!cond) return () => 'pass';
  const named = new Map<string, TriPredicate>();
  const groups = cond.alternatives.map((group) =>
    group.map((t) => {
      let p: TriPredicate | undefined;
      if (typeof t.acl === 'string') {
        const def = acls.get(t.acl);
        if (!def) throw new Error(`no such ACL '${t.acl}'`);
        p = named.get(t.acl) ?? triAcl(def);
        named.set(t.acl, p);
      } else p = tri(compileAclTerm(t.acl));
      const q = p;
      return t.negate ? (v: RequestView) => negate(q(v)) : q;
    }),
  );
  const unless = cond.polarity === 'unless';
  return (view) => {
    let res: TriState = 'fail';
    for (const group of groups) {
      let g: TriState = 'pass';
      for (const p of group) {
        g = p(view);
        if (g !== 'pass') break;
      }
      if (g === 'pass') {
        res = 'pass';
        break;
      }
      if (g === 'miss') res = 'miss';
    }
    return unless && res !== 'miss' ? negate(res) : res;
  };
}

/** What a TCP rule set decided: `wait` when a rule lacks data (only before the buffer is final). */
export type TcpRulesVerdict = 'accept' | 'reject' | 'silent-drop' | 'continue' | 'wait';

/**
 * `tcp-request content` (or `session`) rules of one proxy, run as HAProxy's tcp_inspect_request: in order, each
 * whose condition passes acts (track-sc, variables, counters, set-src… and go on; accept, reject or silent-drop end); a
 * MISS stops and waits. Given a `resume` cursor, the next evaluation resumes at the rule that waited, as HAProxy's
 * s->current_rule does (so counters and variables are not written twice); without one it starts from the first.
 */
export class CompiledTcpRules {
  private readonly rules: ReadonlyArray<{ readonly rule: TcpRequestRule; readonly when: TriPredicate; readonly key?: (view: RequestView) => TypedSample | undefined; readonly act?: (view: RequestView) => void }>;

  constructor(
    rules: readonly TcpRequestRule[],
    acls: ReadonlyMap<string, AclDefinition>,
    /** The proxy's own stick table (the default of `src_*` fetches). */
    private readonly table: string | undefined,
  ) {
    this.rules = rules.map((rule) => {
      const act = compileTcpAction(rule);
      return { rule, when: compileTriCondition(rule.condition, acls), ...(rule.action === 'track-sc' ? { key: compileKeyExpr(rule.key) } : {}), ...(act ? { act } : {}) };
    });
  }

  get size(): number {
    return this.rules.length;
  }

  evaluate(view: RequestView, resume?: { index: number }): TcpRulesVerdict {
    if (view.stick) view.stick.proxyTable = this.table;
    for (let i = resume?.index ?? 0; i < this.rules.length; i++) {
      const { rule, when, key, act } = this.rules[i]!;
      const r = when(view);
      if (r === 'miss') {
        if (resume) resume.index = i;
        return 'wait';
      }
      if (r === 'fail') continue;
      if (act) {
        act(view);
        continue;
      }
      if (rule.action !== 'track-sc') return rule.action as 'accept' | 'reject' | 'silent-drop';
      // As http-rules' track-sc: no key or an empty one tracks nothing; the tracker casts to the table's key type.
      const k = view.stick ? key!(view) : undefined;
      if (k !== undefined && k.value !== '') view.stick!.track(rule.counter, k.value, rule.table, k.type);
    }
    return 'continue';
  }
}
