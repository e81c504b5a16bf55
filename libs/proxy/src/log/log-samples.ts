import { SAMPLE_FETCHES, type FrontendConfig, type SampleExpr } from '@tandem/config';
import { formatString, hasSamples, parseLogFormat, samplesOf, type LogSampleReader } from '@tandem/logging';
import { compileSampleExpr, sampleText, type HeaderList, type RequestView, type Sample } from '@tandem/policy';
import { deriveView } from '../l7/http-request-view.js';

/**
 * `%[<fetch>[,<converters>]]` in a traffic-log format (configuration.txt 8.2.4), evaluated when the transaction is
 * logged, on its view (`txn.` variables set by rules included). @tandem/logging renders, @tandem/policy evaluates;
 * this file joins them, so the logging lib never imports the policy lib.
 */

const logsSamplesCache = new WeakMap<FrontendConfig, boolean>();

/**
 * A frontend that logs with a format holding `%[…]` (decided once per config generation): only its transactions
 * keep a view for the log and carry a sample reader; every other frontend pays nothing new per request.
 */
export function logsSamples(f: FrontendConfig): boolean {
  let b = logsSamplesCache.get(f);
  if (b === undefined) {
    const format = f.log?.format;
    const parsed = format !== undefined && f.log!.targets.length > 0 ? parseLogFormat(formatString(format), samplesOf(format)) : undefined;
    logsSamplesCache.set(f, (b = parsed?.ok === true && hasSamples(parsed.nodes)));
  }
  return b;
}

interface CompiledSample {
  readonly run: (view: RequestView) => Sample;
  /** `res.hdr`, `res.cook`, `status`…: read the response (HAProxy logs after it), not the request. */
  readonly response: boolean;
}

/** Compiled once per parsed expression (the logger parses a format once per frontend config, so identities hold). */
const compiledCache = new WeakMap<SampleExpr, CompiledSample | null>();

function compiled(expr: SampleExpr): CompiledSample | null {
  let c = compiledCache.get(expr);
  if (c === undefined) {
    const spec = SAMPLE_FETCHES.get(expr.fetch);
    c = spec ? { run: compileSampleExpr(spec.base, expr.args, expr.converters), response: spec.base === 'status' || spec.base.startsWith('res.') } : null;
    compiledCache.set(expr, c);
  }
  return c;
}

const NO_HEADERS: HeaderList = { names: [], rawNames: [], values: [] };

/**
 * The reader a record carries: request fetches on the transaction's view as the rules left it, response fetches
 * on that view in response context (the response's headers and status when one was sent; none otherwise).
 */
export function sampleReader(view: RequestView, status: number, responseHeaders: HeaderList | undefined): LogSampleReader {
  let resView: RequestView | undefined;
  return (expr) => {
    const c = compiled(expr);
    if (!c) return undefined;
    const v = c.response ? (resView ??= deriveView(view, { method: '', uri: '', headers: responseHeaders ?? NO_HEADERS, response: true, status: status > 0 ? status : undefined })) : view;
    try {
      return sampleText(c.run(v));
    } catch {
      // A log line never breaks the data plane: a fetch that fails prints '-' as one without value.
      return undefined;
    }
  };
}
