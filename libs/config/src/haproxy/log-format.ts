import type { LogFormat, LogFormatPart } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { SAMPLE_FETCHES, PLANNED_FETCHES, checkFetchArgs } from './sample-fetches.js';
import { SampleExprError, parseConverters, splitSampleExpr } from './sample-expr.js';
import { notImplementedMessage } from './not-implemented.js';
import { nearest } from './suggest.js';

/**
 * Log-format strings where HAProxy accepts them in rules (header values, redirect targets, `use_backend`, set-path…):
 * plain text, `%%` for a percent sign, and `%[<sample expression>]` (configuration.txt 8.2.4). The other
 * `%<var>` log variables and `%{flags}` are refused with a clear error rather than misread.
 */
export function parseLogFormat(text: string, files: ConfigFilePort | undefined): LogFormat {
  const parts: LogFormatPart[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      lit += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '%') {
      lit += '%';
      i++;
      continue;
    }
    if (next !== '[') {
      const v = /^%(\{[^}]*\})?([A-Za-z_]*)/.exec(text.slice(i))![0];
      throw new SampleExprError(`log-format variable '${v}' in '${text}' is not supported in rule values by Tandem (only '%[<sample>]' and '%%'); ${notImplementedMessage(6)}`);
    }
    // The expression ends at the ']' that closes it, outside quotes and parentheses.
    let depth = 0;
    let quote: string | undefined;
    let j = i + 2;
    for (; j < text.length; j++) {
      const d = text[j]!;
      if (quote) {
        if (d === '\\') j++;
        else if (d === quote) quote = undefined;
      } else if (d === '\\') j++;
      else if (d === '"' || d === "'") quote = d;
      else if (d === '(') depth++;
      else if (d === ')') depth--;
      else if (d === ']' && depth <= 0) break;
    }
    if (j >= text.length) throw new SampleExprError(`missing ']' closing '%[' in '${text}'`);
    if (lit) parts.push(lit);
    lit = '';
    parts.push(parseSampleExpr(text.slice(i + 2, j), files));
    i = j;
  }
  if (lit || parts.length === 0) parts.push(lit);
  return parts;
}

/** One `fetch[,conv…]` outside an ACL: the fetch must be a sample fetch (not a derived ACL keyword like path_beg). */
export function parseSampleExpr(text: string, files: ConfigFilePort | undefined): Exclude<LogFormatPart, string> {
  if (!text) throw new SampleExprError("empty sample expression '%[]'");
  const { name, args, converters: calls } = splitSampleExpr(text);
  const spec = SAMPLE_FETCHES.get(name);
  if (!spec) {
    if (PLANNED_FETCHES.has(name)) throw new SampleExprError(`fetch '${name}' ${notImplementedMessage(6)}`);
    throw new SampleExprError(`unknown fetch method '${name}' in '${text}'`, nearest(name, SAMPLE_FETCHES.keys()));
  }
  if (spec.match && spec.match !== 'ip') throw new SampleExprError(`'${name}' is an ACL keyword, not a sample fetch ('${name}' means '${spec.base} -m ${spec.match}')`);
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    throw new SampleExprError(spec.maxArgs === 0 ? `fetch '${name}' takes no argument` : `fetch '${name}' expects ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} argument(s), got ${args.length}`);
  }
  const badArgs = checkFetchArgs(name, spec, args);
  if (badArgs) throw new SampleExprError(badArgs);
  const conv = calls.length ? parseConverters(calls, files, spec.type) : undefined;
  return { fetch: name, args, ...(conv ? { converters: conv.converters } : {}) };
}

/** The text of a format without expressions, or undefined when it has some. */
export function plainText(format: LogFormat): string | undefined {
  return format.every((p) => typeof p === 'string') ? (format as string[]).join('') : undefined;
}
