/**
 * `set-map(<file>)`, `del-map(<file>)`, `add-acl(<file>)`, `del-acl(<file>)` of http-request and http-response
 * (configuration.txt 4.2): the file names the shared reference (pattern-ref.ts) the action changes at run time.
 * The reference may be loaded by an ACL or a map converter declared after the rule (HAProxy resolves by name).
 */
import type { PatternAction } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { logFormatValue } from './http-actions.js';
import { PatternRef } from '../pattern-ref.js';

const PATTERN_ACTION = /^(set-map|del-map|add-acl|del-acl)\((.*)\)$/;

/** The rule and the words after it, or undefined when `word` is not one of these actions. */
export function parsePatternAction(word: string, rest: readonly string[], files: ConfigFilePort | undefined): { rule: PatternAction; rest: readonly string[] } | undefined {
  const bare = /^(set-map|del-map|add-acl|del-acl)$/.exec(word);
  if (bare) throw new AclSyntaxError(`'${word}' expects a file name in parentheses: '${word}(<file>)'`);
  const m = PATTERN_ACTION.exec(word);
  if (!m) return undefined;
  const action = m[1] as PatternAction['action'];
  const file = m[2]!;
  if (file === '') throw new AclSyntaxError(`'${action}()' expects a file name`);
  const isCond = (w: string | undefined) => w === undefined || w === 'if' || w === 'unless';
  if (isCond(rest[0])) throw new AclSyntaxError(`'${action}(${file})' expects a key (log-format)`);
  const key = logFormatValue(rest[0]!, files);
  let used = 1;
  let value: { value: string; format?: unknown } | undefined;
  if (action === 'set-map') {
    if (isCond(rest[1])) throw new AclSyntaxError(`'set-map(${file})' expects a key and a value (log-formats)`);
    value = logFormatValue(rest[1]!, files);
    used = 2;
  }
  const ref = files?.patterns ? files.patterns.reference(file) : new PatternRef(file);
  const rule: PatternAction = {
    action,
    ref,
    key: key.value,
    ...(key.format ? { keyFormat: key.format } : {}),
    ...(value ? { value: value.value, ...(value.format ? { valueFormat: value.format as PatternAction['valueFormat'] } : {}) } : {}),
  };
  return { rule, rest: rest.slice(used) };
}
