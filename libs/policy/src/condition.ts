import { SAMPLE_FETCHES, type AclDefinition, type AclTerm, type Condition } from '@tandem/config';
import { FETCHES } from './fetches.js';
import { compileSampleExpr } from './converters.js';
import { compileSampleMatcher } from './matchers.js';
import type { RequestView } from './request-view.types.js';

/** A compiled predicate over one transaction. */
export type Predicate = (view: RequestView) => boolean;

/** One ACL line: fetch the sample, then match it. */
export function compileAclTerm(term: AclTerm): Predicate {
  const spec = SAMPLE_FETCHES.get(term.fetch);
  if (!spec || !FETCHES[spec.base]) throw new Error(`${term.source.file}:${term.source.line}: fetch '${term.fetch}' has no implementation`);
  const match = compileSampleMatcher(term);
  const sample = compileSampleExpr(spec.base, term.args, term.converters);
  return (view) => match(sample(view));
}

/** A named ACL: its lines are ORed (HAProxy: declaring a name again adds alternatives). */
export function compileAcl(def: AclDefinition): Predicate {
  const terms = def.terms.map(compileAclTerm);
  if (terms.length === 1) return terms[0]!;
  return (view) => {
    for (const t of terms) if (t(view)) return true;
    return false;
  };
}

/**
 * `if|unless`: OR of AND-groups, `!` per term, anonymous ACLs inline. Named ACLs come from `acls` (the proxy's
 * table, compiled once and shared by every rule that names them).
 */
export function compileCondition(cond: Condition | undefined, acls: ReadonlyMap<string, Predicate>): Predicate {
  if (!cond) return () => true;
  const groups = cond.alternatives.map((group) =>
    group.map((t) => {
      const p = typeof t.acl === 'string' ? acls.get(t.acl) : compileAclTerm(t.acl);
      if (!p) throw new Error(`no such ACL '${String(t.acl)}'`);
      return t.negate ? (v: RequestView) => !p(v) : p;
    }),
  );
  const unless = cond.polarity === 'unless';
  return (view) => {
    let result = false;
    for (const group of groups) {
      let all = true;
      for (const p of group) {
        if (!p(view)) {
          all = false;
          break;
        }
      }
      if (all) {
        result = true;
        break;
      }
    }
    return unless ? !result : result;
  };
}

/** Compiles a proxy's ACL table. */
export function compileAcls(acls: ReadonlyMap<string, AclDefinition>): Map<string, Predicate> {
  return new Map([...acls].map(([name, def]) => [name, compileAcl(def)]));
}
