import { SAMPLE_FETCHES, sampleExprType, type SampleExpr, type SampleType } from '@tandem/config';
import { applyConverters, compileConverter } from './converters.js';
import { FETCHES } from './fetches.js';
import type { RequestView } from './request-view.types.js';

/** One value of a sample expression outside an ACL, with its type (what casts to a key or to bytes start from). */
export interface TypedSample {
  readonly value: string | number | boolean;
  readonly type: SampleType;
}

/**
 * A sample expression evaluated outside an ACL, as HAProxy's sample_process does for `track-sc` keys, `stick`
 * patterns, `balance hash` and `server … sni`: the fetch gives one value (a multi-valued fetch such as `hdr`
 * returns its last occurrence outside ACLs), then each converter in turn; a converter that fails leaves no sample.
 * The type is the fetch's, changed by each converter (`src,ipmask(24)` is an ip, `req.hdr(x),lower` a string).
 * Compiled once per config generation; fetch names were checked at load.
 */
export function compileKeyExpr(expr: SampleExpr): (view: RequestView) => TypedSample | undefined {
  const spec = SAMPLE_FETCHES.get(expr.fetch);
  const fetch = spec ? FETCHES[spec.base] : undefined;
  if (!spec || !fetch) throw new Error(`fetch '${expr.fetch}' has no implementation`);
  const type = sampleExprType(spec.type, expr.converters);
  const convs = (expr.converters ?? []).map(compileConverter);
  const args = expr.args;
  return (view) => {
    const s = fetch(view, args);
    const last = Array.isArray(s) ? (s as readonly string[])[s.length - 1] : s;
    if (last === undefined) return undefined;
    const value = convs.length ? applyConverters(last as string | number | boolean, convs, view) : last;
    return value === undefined || Array.isArray(value) ? undefined : { value: value as string | number | boolean, type };
  };
}

/** A typed sample as text (`sni`, `%[…]`-like uses): integers in decimal, booleans as 0/1. */
export function typedSampleText(s: TypedSample): string {
  return typeof s.value === 'boolean' ? (s.value ? '1' : '0') : String(s.value);
}
