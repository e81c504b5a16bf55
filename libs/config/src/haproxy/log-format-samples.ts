import type { LogFormatSample } from '../log.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { closingBracket, parseSampleExpr } from './log-format.js';

/**
 * The `%[<fetch>[,<converters>]]` expressions of a traffic-log `log-format` (configuration.txt 8.2.4), parsed at
 * load time so unknown fetches, bad arguments and map files are reported with file:line, as HAProxy does. Each is
 * keyed by its text: @tandem/logging meets the same text when it splits the format and takes the parsed expression
 * from here (map converters need the config's files, which the logger does not have).
 * Throws SampleExprError on the first bad expression.
 */
export function logFormatSamples(text: string, files: ConfigFilePort | undefined): LogFormatSample[] {
  const out: LogFormatSample[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] !== '%') continue;
    if (text[i + 1] === '%') {
      i++;
      continue;
    }
    let j = i + 1;
    if (text[j] === '{') {
      const close = text.indexOf('}', j);
      if (close < 0) return out; // the logger reports the missing '}'
      j = close + 1;
    }
    if (text[j] !== '[') continue;
    const end = closingBracket(text, j + 1);
    const expr = text.slice(j + 1, end);
    if (!out.some((s) => s.text === expr)) out.push({ text: expr, expr: parseSampleExpr(expr, files) });
    i = end;
  }
  return out;
}
