import { nearest } from '../haproxy/suggest.js';
import type { Statement } from './lexer.js';
import { error, warning, type Scope } from './values.js';

/** One keyword of a block: whether it opens a block of its own, and what it does to the block's draft. */
export interface KeywordSpec<D> {
  readonly block?: 'required' | 'optional' | 'none';
  /** A value set once: a second occurrence is a warning (the last one wins, as in keepalived). */
  readonly once?: boolean;
  run(s: Statement, draft: D, scope: Scope): void;
}

/** A block's keywords, plus keepalived keywords Tandem refuses (with why) or accepts and ignores (with why). */
export interface SectionTable<D> {
  readonly keywords: ReadonlyMap<string, KeywordSpec<D>>;
  readonly unsupported?: ReadonlyMap<string, string>;
  readonly ignored?: ReadonlyMap<string, string>;
}

/** Applies each statement of a block to `draft`; every problem is collected, none stops the walk. */
export function runSection<D>(statements: readonly Statement[], table: SectionTable<D>, draft: D, scope: Scope): void {
  const seen = new Map<string, Statement>();
  for (const s of statements) {
    const spec = table.keywords.get(s.keyword);
    if (!spec) {
      const unsupported = table.unsupported?.get(s.keyword);
      const ignored = table.ignored?.get(s.keyword);
      if (unsupported !== undefined) error(scope, s, `is a keepalived keyword Tandem does not support yet (${unsupported}); remove it or keep keepalived for this node`);
      else if (ignored !== undefined) warning(scope, s, `accepted and ignored: ${ignored}`);
      else {
        const known = [...table.keywords.keys(), ...(table.unsupported?.keys() ?? []), ...(table.ignored?.keys() ?? [])];
        error(scope, s, `unknown keyword in '${scope.label}'`, nearest(s.keyword, known));
      }
      continue;
    }
    if (spec.block === 'required' && !s.block) {
      error(scope, s, `expects a block: '${s.keyword}${s.args.length ? ' …' : ''} { … }'`);
      continue;
    }
    if ((spec.block ?? 'none') === 'none' && s.block) {
      error(scope, s, `does not take a block ('{ … }') in '${scope.label}'`);
      continue;
    }
    const previous = seen.get(s.keyword);
    if (spec.once && previous) {
      warning(scope, s, `is set twice in '${scope.label}' (first at line ${previous.line}); the last one wins, as in keepalived`);
    }
    seen.set(s.keyword, s);
    spec.run(s, draft, scope);
  }
}
