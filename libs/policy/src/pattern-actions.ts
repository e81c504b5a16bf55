import type { PatternAction } from '@tandem/config';
import { compileValue } from './log-format.js';
import type { ActionImpl } from './rule-actions.js';

/**
 * `set-map`, `del-map`, `add-acl`, `del-acl` (HAProxy's http_action_set_map): the key (and value) log-formats are
 * evaluated, then the file's shared reference changes, seen at once by every map converter and ACL reading it.
 * As HAProxy: `set-map` updates the entries with that key or adds one; `add-acl` adds a key not present yet; a
 * key that evaluates empty does nothing; a value the reference's users refuse (`map_ip` with a non-address) is
 * dropped. An unloaded reference (no ACL or map loads the file) makes the action a no-op.
 */
export function compilePatternAction(rule: PatternAction): ActionImpl {
  const ref = rule.ref;
  const key = compileValue(rule.key, rule.keyFormat);
  const value = rule.value !== undefined ? compileValue(rule.value, rule.valueFormat) : undefined;
  return (view) => {
    if (!ref.loaded) return;
    const k = key(view);
    if (k === '') return;
    switch (rule.action) {
      case 'set-map': {
        const v = value!(view);
        if (ref.set(k, v) === false) ref.add(k, v);
        return;
      }
      case 'add-acl':
        if (!ref.entries().some((e) => e.key === k)) ref.add(k, undefined);
        return;
      case 'del-map':
      case 'del-acl':
        ref.delete(k);
        return;
    }
  };
}
