import type { LogFormat, LogFormatPart, SampleExpr } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { SAMPLE_FETCHES, PLANNED_FETCHES, checkFetchArgs } from './sample-fetches.js';
import { SampleExprError, parseConverters, splitSampleExpr } from './sample-expr.js';
import { notImplementedMessage } from './not-implemented.js';
import { LOG_VARIABLES, longestVariable } from './log-variables.js';
import type { LogFlags } from '../log-value.js';
import { nearest } from './suggest.js';

/**
 * Log-format strings where HAProxy accepts them in rules (header values, redirect targets, `use_backend`, set-path,
 * `set-var-fmt`, `unique-id-format`…), configuration.txt 8.2.4: text, `%%`, `%[<sample expression>]`, `%<var>`,
 * `%{+Q,-X,+E}` flags before a variable or expression, `%{…}o` flags for everything after it, and runs of spaces
 * (separators). A variable that only exists when the transaction is logged (timers, byte counts…) is refused,
 * naming what it reads, since a rule runs before it has a value.
 */
export function parseLogFormat(text: string, files: ConfigFilePort | undefined): LogFormat {
  const parts: LogFormatPart[] = [];
  let lit = '';
  let options: LogFlags = {};
  const flush = () => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ') {
      flush();
      while (text[i + 1] === ' ') i++;
      parts.push({ separator: true });
      continue;
    }
    if (c !== '%') {
      lit += c;
      continue;
    }
    if (text[i + 1] === '%') {
      lit += '%';
      i++;
      continue;
    }
    let j = i + 1;
    let flags: LogFlags = {};
    if (text[j] === '{') {
      const close = text.indexOf('}', j);
      if (close < 0) throw new SampleExprError(`missing '}' after '%{' in '${text}'`);
      flags = parseFlags(text.slice(j + 1, close), text);
      j = close + 1;
    }
    const merged = { ...options, ...flags };
    const withFlags = Object.keys(merged).length ? { flags: merged } : {};
    if (text[j] === '[') {
      const end = closingBracket(text, j + 1);
      flush();
      parts.push({ ...parseSampleExpr(text.slice(j + 1, end), files), ...withFlags });
      i = end;
      continue;
    }
    const name = longestVariable(text.slice(j));
    if (name === undefined) {
      const word = /^[A-Za-z]*/.exec(text.slice(j))![0];
      throw new SampleExprError(word ? `no such log-format variable '%${word}' in '${text}'` : `expected a variable name or '[' after '%' in '${text}' (write '%%' for a percent sign)`);
    }
    if (name === 'o') options = merged;
    else {
      const use = LOG_VARIABLES.get(name)!;
      if (use.at === 'log') throw new SampleExprError(`log-format variable '%${name}' in '${text}' reads ${use.reads}, which only exist when the transaction is logged: it has no value in a rule`);
      flush();
      parts.push({ variable: name, ...withFlags });
    }
    i = j + name.length - 1;
  }
  flush();
  if (parts.length === 0) parts.push('');
  return parts;
}

/**
 * The index of the ']' that closes a `%[` expression starting at `from`, outside quotes and parentheses. Exported
 * for @tandem/logging, so the traffic log splits `%[…]` exactly as rule values do.
 */
export function closingBracket(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = from; j < text.length; j++) {
    const d = text[j]!;
    if (quote) {
      if (d === '\\') j++;
      else if (d === quote) quote = undefined;
    } else if (d === '\\') j++;
    else if (d === '"' || d === "'") quote = d;
    else if (d === '(') depth++;
    else if (d === ')') depth--;
    else if (d === ']' && depth <= 0) return j;
  }
  throw new SampleExprError(`missing ']' closing '%[' in '${text}'`);
}

function parseFlags(body: string, text: string): LogFlags {
  const flags: { Q?: boolean; X?: boolean; E?: boolean } = {};
  for (const part of body.split(',')) {
    const m = /^([+-])([QXE])$/.exec(part);
    if (!m) throw new SampleExprError(`unknown log-format flag '${part}' in '${text}' (expects +Q, -Q, +X, -X, +E, -E)`);
    flags[m[2] as 'Q' | 'X' | 'E'] = m[1] === '+';
  }
  return flags;
}

/** One `fetch[,conv…]` outside an ACL: the fetch must be a sample fetch (not a derived ACL keyword like path_beg). */
export function parseSampleExpr(text: string, files: ConfigFilePort | undefined): SampleExpr {
  if (!text) throw new SampleExprError("empty sample expression '%[]'");
  const { name, args, converters: calls } = splitSampleExpr(text);
  const spec = SAMPLE_FETCHES.get(name);
  if (!spec) {
    if (PLANNED_FETCHES.has(name)) throw new SampleExprError(`fetch '${name}' ${notImplementedMessage(0)}`);
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

/**
 * The text of a format without expressions or variables (separators printed as HAProxy prints them: one space,
 * never at the start), or undefined when it has some.
 */
export function plainText(format: LogFormat): string | undefined {
  let out = '';
  let lastIsSpace = true;
  for (const p of format) {
    if (typeof p === 'string') {
      out += p;
      if (p) lastIsSpace = false;
    } else if ('separator' in p) {
      if (!lastIsSpace) out += ' ';
      lastIsSpace = true;
    } else return undefined;
  }
  return out;
}
