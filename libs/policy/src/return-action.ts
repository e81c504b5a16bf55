import type { HttpReply, HttpRequestRule } from '@tandem/config';
import { compileLogFormat, type TextEval } from './log-format.js';
import type { RequestView } from './request-view.types.js';

type ReturnRule = Extract<HttpRequestRule, { readonly action: 'return' }>;

/** A reply as sent: `message` (errorfile) as is, else the status line, `contentType`, `body` and `headers`. */
export interface ReplyContent {
  readonly contentType?: string;
  readonly body?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly message?: Buffer;
}

export interface ReturnAnswer extends ReplyContent {
  readonly kind: 'return';
  readonly status: number;
}

/** Compiled `lf-string` / `lf-file` / `hdr` formats of each reply, by reply (replies are frozen config objects). */
const compiled = new WeakMap<HttpReply, { body?: TextEval; headers?: ReadonlyArray<TextEval | undefined> }>();

/**
 * The content of an http reply (`return`, and `deny`/`tarpit` with options; configuration.txt 4.2): `lf-string`,
 * `lf-file` and `hdr` values are log-formats evaluated for this transaction; plain ones are used as written.
 */
export function replyContent(reply: HttpReply, view: RequestView): ReplyContent {
  const base = { ...(reply.contentType !== undefined ? { contentType: reply.contentType } : {}), ...(reply.message ? { message: reply.message } : {}) };
  if (!reply.bodyFormat && !reply.headerFormats) return { ...base, ...(reply.body !== undefined ? { body: reply.body } : {}), headers: reply.headers };
  let c = compiled.get(reply);
  if (!c) {
    c = {
      ...(reply.bodyFormat ? { body: compileLogFormat(reply.bodyFormat) } : {}),
      ...(reply.headerFormats ? { headers: reply.headerFormats.map((f) => (f ? compileLogFormat(f) : undefined)) } : {}),
    };
    compiled.set(reply, c);
  }
  const body = c.body ? c.body(view) : reply.body;
  const headers = c.headers ? reply.headers.map(([n, v], i): readonly [string, string] => [n, c!.headers![i] ? c!.headers![i]!(view) : v]) : reply.headers;
  return { ...base, ...(body !== undefined ? { body } : {}), headers };
}

/** The answer of `http-request|http-response return` (configuration.txt 4.2, "return"). */
export function returnAnswer(rule: ReturnRule, view: RequestView): ReturnAnswer {
  return { kind: 'return', status: rule.status, ...replyContent(rule, view) };
}
