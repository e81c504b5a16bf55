import type { DelHeaderAction } from '@tandem/config';
import type { HeaderList, RequestView } from './request-view.types.js';

/**
 * `del-header <name> -m beg|end|sub|reg` (HAProxy 2.6, configuration.txt 4.2): removes every field whose name
 * starts with, ends with or contains `<name>` (case-insensitive, as HAProxy's http_find_pfx/sfx/sub_header), or
 * that the regex matches (HAProxy matches the name as its HTX layer keeps it: lower case). `-m str` (the default)
 * is deleteHeader, an exact name.
 */
export function compileDelHeaderMatch(rule: DelHeaderAction): (view: RequestView, h: HeaderList) => void {
  const needle = rule.name.toLowerCase();
  const re = rule.match === 'reg' ? new RegExp(rule.name) : undefined;
  const test: (name: string) => boolean =
    rule.match === 'beg' ? (n) => n.startsWith(needle) : rule.match === 'end' ? (n) => n.endsWith(needle) : rule.match === 'sub' ? (n) => n.includes(needle) : (n) => re!.test(n);
  return (_view, h) => {
    for (let i = h.names.length - 1; i >= 0; i--) {
      if (!test(h.names[i]!)) continue;
      h.names.splice(i, 1);
      h.rawNames.splice(i, 1);
      h.values.splice(i, 1);
    }
  };
}
