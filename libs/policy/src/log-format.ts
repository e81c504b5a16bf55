import { SAMPLE_FETCHES, printLogValue, type LogFormat, type SampleExpr } from '@tandem/config';
import { RULE_VARIABLES } from './log-variables.js';
import { compileSampleExpr } from './converters.js';
import type { RequestView, Sample } from './request-view.types.js';

/**
 * Log-format strings in rules (text, `%[…]`, `%<var>`), compiled once. As HAProxy's log-format writer does, a sample that
 * is absent or empty prints `-`; a multi-valued fetch (`hdr`) gives its last value, as fetches do outside ACLs.
 */
export type TextEval = (view: RequestView) => string;

/** The one value of a sample outside an ACL: the last of several; booleans as 1/0. */
export function sampleValue(s: Sample): string | number | boolean | undefined {
  return Array.isArray(s) ? (s as readonly (string | number | boolean)[])[s.length - 1] : (s as string | number | boolean | undefined);
}

export function sampleText(s: Sample): string | undefined {
  const v = sampleValue(s);
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

export function compileExpr(expr: SampleExpr): (view: RequestView) => Sample {
  const spec = SAMPLE_FETCHES.get(expr.fetch);
  if (!spec) throw new Error(`fetch '${expr.fetch}' has no implementation`);
  return compileSampleExpr(spec.base, expr.args, expr.converters);
}

type Piece = { readonly sep: true } | { readonly sep?: false; readonly print: TextEval };

/**
 * A rule's log-format compiled once: text, `%[…]` samples (absent or empty prints `-`, quoted under Q), `%<var>`
 * variables (RULE_VARIABLES, printed with @tandem/config's printLogValue, so flags mean what they mean in the
 * logs), and separators, which print one space only after something was printed (HAProxy's build_logline).
 */
export function compileLogFormat(format: LogFormat): TextEval {
  const pieces = format.map((p): Piece => {
    if (typeof p === 'string') return { print: () => p };
    if ('separator' in p) return { sep: true };
    const flags = p.flags ?? {};
    if ('variable' in p) {
      const read = RULE_VARIABLES[p.variable];
      if (!read) throw new Error(`log-format variable '%${p.variable}' has no rule-time value`);
      return { print: (view) => printLogValue(read(view, flags), flags) };
    }
    const s = compileExpr(p);
    return {
      print: (view) => {
        const t = sampleText(s(view));
        return printLogValue({ kind: 'string', text: t === '' ? undefined : t }, flags);
      },
    };
  });
  if (pieces.length === 1 && !pieces[0]!.sep) return pieces[0]!.print;
  return (view) => {
    let out = '';
    let lastIsSpace = true;
    for (const p of pieces) {
      if (p.sep) {
        if (!lastIsSpace) out += ' ';
        lastIsSpace = true;
        continue;
      }
      const t = p.print(view);
      if (t) {
        out += t;
        lastIsSpace = false;
      }
    }
    return out;
  };
}

/** A value with an optional format: constant text, or its format evaluated per request. */
export function compileValue(value: string, format: LogFormat | undefined): TextEval {
  return format ? compileLogFormat(format) : () => value;
}
