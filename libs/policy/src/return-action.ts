import type { HttpRequestRule } from '@tandem/config';
import { compileLogFormat, type TextEval } from './log-format.js';
import type { RequestView } from './request-view.types.js';

type ReturnRule = Extract<HttpRequestRule, { readonly action: 'return' }>;

export interface ReturnAnswer {
  readonly kind: 'return';
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** Compiled `lf-string` / `hdr` formats of each `return` rule, by rule (rules are frozen config objects). */
const compiled = new WeakMap<ReturnRule, { body?: TextEval; headers?: ReadonlyArray<TextEval | undefined> }>();

/**
 * The answer of `http-request|http-response return`: `lf-string` and `hdr` values are log-formats evaluated for
 * this transaction (configuration.txt 4.2, "return"); plain ones are used as written.
 */
export function returnAnswer(rule: ReturnRule, view: RequestView): ReturnAnswer {
  const base = { kind: 'return' as const, status: rule.status, ...(rule.contentType !== undefined ? { contentType: rule.contentType } : {}) };
  if (!rule.bodyFormat && !rule.headerFormats) return { ...base, ...(rule.body !== undefined ? { body: rule.body } : {}), headers: rule.headers };
  let c = compiled.get(rule);
  if (!c) {
    c = {
      ...(rule.bodyFormat ? { body: compileLogFormat(rule.bodyFormat) } : {}),
      ...(rule.headerFormats ? { headers: rule.headerFormats.map((f) => (f ? compileLogFormat(f) : undefined)) } : {}),
    };
    compiled.set(rule, c);
  }
  const body = c.body ? c.body(view) : rule.body;
  const headers = c.headers ? rule.headers.map(([n, v], i): readonly [string, string] => [n, c!.headers![i] ? c!.headers![i]!(view) : v]) : rule.headers;
  return { ...base, ...(body !== undefined ? { body } : {}), headers };
}
