import type { SampleExpr } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import { parseSampleExpr } from './log-format.js';
import { SampleExprError } from './sample-expr.js';
import { notImplementedMessage } from './not-implemented.js';
import type { ProxyDraft } from './proxy-draft.js';
import type { DiagnosticSink } from './diagnostics.js';

/**
 * `balance hash <expr>` (HAProxy 2.6, configuration.txt 4.2 "balance"): one sample expression, evaluated per
 * request, hashed with the backend's `hash-type` (map-based or consistent); when it yields nothing, round robin.
 * Errors go to the keyword's line; undefined when the expression is missing or invalid.
 */
export function balanceHashExpr(kw: KeywordLine, args: readonly string[]): SampleExpr | undefined {
  const text = args[0];
  if (!text) {
    kw.sink.error(kw.file, kw.line, 'balance hash', 'hash requires a sample expression (e.g. balance hash path, balance hash req.hdr(host),lower)');
    return undefined;
  }
  if (args.length > 1) {
    kw.sink.error(kw.file, kw.line, 'balance hash', `hash takes no other argument (got '${args[1]}')`);
    return undefined;
  }
  try {
    return parseSampleExpr(text, kw.files);
  } catch (e) {
    if (!(e instanceof SampleExprError)) throw e;
    kw.sink.error(kw.file, kw.line, 'balance hash', e.message, e.suggestion);
    return undefined;
  }
}

/**
 * `balance hash <expr>` and `sni <expr>` are evaluated on HTTP requests only: in a `mode tcp` backend Tandem has no
 * view to evaluate them on yet, so they are refused rather than silently ignored (round robin, no SNI).
 */
export function refuseTcpSampleUses(d: ProxyDraft, sink: DiagnosticSink): void {
  if (d.balance?.expr) sink.error(d.file, d.line, 'balance hash', `backend '${d.name}': 'balance hash <expr>' in a 'mode tcp' backend ${notImplementedMessage(0)}`);
  for (const s of d.servers) {
    if (s.params.sniExpr ?? (s.params.sni === undefined ? d.defaultServer.sniExpr : undefined)) {
      sink.error(s.file, s.line, 'server', `server '${s.name}': 'sni <expr>' other than str(<name>) in a 'mode tcp' backend ${notImplementedMessage(0)}`);
    }
  }
}
