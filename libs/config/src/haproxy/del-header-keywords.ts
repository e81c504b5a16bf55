import type { DelHeaderAction } from '../policy-config.types.js';
import { AclSyntaxError } from './acl-parse.js';

const METHODS = ['str', 'beg', 'end', 'sub', 'reg'];

/**
 * `del-header <name> [-m str|beg|end|sub|reg]` (http-request, http-response, http-after-response; HAProxy 2.6
 * configuration.txt 4.2): without `-m`, or with `-m str`, the fields named `<name>`; `beg`/`end`/`sub` match the
 * start, end or a part of field names (case-insensitive, as names are); `reg` is a regex on the field name.
 * `args` starts with the name; returns the rule and the words left for the condition.
 */
export function parseDelHeader(name: string, args: readonly string[]): { rule: DelHeaderAction; rest: readonly string[] } {
  let match = 'str' as DelHeaderAction['match'] | 'str';
  let rest = args.slice(1);
  if (rest[0] === '-m') {
    const m = rest[1];
    if (m === undefined || !METHODS.includes(m)) throw new AclSyntaxError(`'del-header -m' expects one of ${METHODS.join(', ')}, got '${m ?? ''}'`);
    match = m as typeof match;
    rest = rest.slice(2);
  }
  if (match === 'reg') {
    try {
      new RegExp(name);
    } catch (e) {
      throw new AclSyntaxError(`invalid regex '${name}': ${(e as Error).message}`);
    }
  } else if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new AclSyntaxError(`'${name}' is not a valid header name`);
  return { rule: match === 'str' ? { action: 'del-header', name } : { action: 'del-header', name, match }, rest };
}
