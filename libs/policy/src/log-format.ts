import { SAMPLE_FETCHES, type LogFormat, type SampleExpr } from '@tandem/config';
import { compileSampleExpr } from './converters.js';
import type { RequestView, Sample } from './request-view.types.js';

/**
 * Log-format strings in rules (`%[…]` and text), compiled once. As HAProxy's log-format writer does, a sample that
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

export function compileLogFormat(format: LogFormat): TextEval {
  const parts = format.map((p): TextEval => {
    if (typeof p === 'string') return () => p;
    const s = compileExpr(p);
    return (view) => {
      const t = sampleText(s(view));
      return t === undefined || t === '' ? '-' : t;
    };
  });
  if (parts.length === 1) return parts[0]!;
  return (view) => {
    let out = '';
    for (const p of parts) out += p(view);
    return out;
  };
}

/** A value with an optional format: constant text, or its format evaluated per request. */
export function compileValue(value: string, format: LogFormat | undefined): TextEval {
  return format ? compileLogFormat(format) : () => value;
}
