import type { LogProcessInfo, TrafficLogRecord } from './log-record.types.js';
import { SampleExprError, parseSampleExpr, printLogValue, sampleExprEnd, type LogFlags, type LogFormatSample, type SampleExpr } from '@tandem/config';
import { VARIABLES } from './log-variables.js';

/**
 * HAProxy's log-format language (configuration.txt 8.2.4): text, `%var`, `%{+Q,-X}var` with flags, `%%`, and runs
 * of spaces that are separators. A separator prints one space only when something was printed since the last one,
 * so a variable that prints nothing (`%hr` without captures) leaves no double space, as in HAProxy.
 */
export type LogFormatNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'separator' }
  | { readonly kind: 'var'; readonly name: string; readonly flags: LogFlags }
  /** `%{+Q}o`: flags applied to every variable that follows. */
  | { readonly kind: 'options'; readonly flags: LogFlags }
  /** `%[<fetch>[,<converters>]]`: evaluated at log time by the record's `sample` reader (the data plane's). */
  | { readonly kind: 'sample'; readonly expr: SampleExpr; readonly flags: LogFlags };

/** Q: quote strings; X: hexadecimal numbers and addresses; E: escape `"`, `\\` and `]` (shared with rule values). */
export type { LogFlags };

export type ParsedLogFormat = { readonly ok: true; readonly nodes: readonly LogFormatNode[] } | { readonly ok: false; readonly error: string };

/**
 * `samples`: the format's `%[…]` expressions as the config parsed them (with its map files); an expression not
 * found there is parsed here, without files.
 */
export function parseLogFormat(format: string, samples?: readonly LogFormatSample[]): ParsedLogFormat {
  const nodes: LogFormatNode[] = [];
  let text = '';
  const flushText = () => {
    if (text) nodes.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === ' ') {
      flushText();
      while (format[i] === ' ') i++;
      nodes.push({ kind: 'separator' });
      continue;
    }
    if (c === '\\' && i + 1 < format.length) {
      text += format[i + 1];
      i += 2;
      continue;
    }
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      text += '%';
      i += 2;
      continue;
    }
    i++;
    let flags: LogFlags = {};
    if (format[i] === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) return { ok: false, error: `missing '}' after '%{' at position ${i}` };
      const parsed = parseFlags(format.slice(i + 1, end));
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      flags = parsed;
      i = end + 1;
    }
    if (format[i] === '[') {
      const sample = sampleNode(format, i + 1, flags, samples);
      if (typeof sample === 'string') return { ok: false, error: sample };
      flushText();
      nodes.push(sample.node);
      i = sample.end + 1;
      continue;
    }
    const m = /^[A-Za-z]+/.exec(format.slice(i));
    if (!m) return { ok: false, error: `expected a variable name after '%' at position ${i}` };
    // Longest known name first: `%Tr` is not `%T` followed by `r`, `%trg` is not `%tr` + `g`.
    let name = m[0];
    while (name.length > 0 && !(name in VARIABLES) && name !== 'o') name = name.slice(0, -1);
    if (!name) return { ok: false, error: `unknown log-format variable '%${m[0]}'` };
    flushText();
    nodes.push(name === 'o' ? { kind: 'options', flags } : { kind: 'var', name, flags });
    i += name.length;
  }
  flushText();
  return { ok: true, nodes };
}

function sampleNode(format: string, from: number, flags: LogFlags, samples: readonly LogFormatSample[] | undefined): { node: LogFormatNode; end: number } | string {
  try {
    const end = sampleExprEnd(format, from);
    const text = format.slice(from, end);
    const expr = samples?.find((s) => s.text === text)?.expr ?? parseSampleExpr(text, undefined);
    return { node: { kind: 'sample', expr, flags }, end };
  } catch (e) {
    if (e instanceof SampleExprError) return e.message;
    throw e;
  }
}

/** Whether a parsed format has `%[…]`: the data plane keeps a view for the log only then. */
export function hasSamples(nodes: readonly LogFormatNode[]): boolean {
  return nodes.some((n) => n.kind === 'sample');
}

function parseFlags(body: string): LogFlags | string {
  const flags: { Q?: boolean; X?: boolean; E?: boolean } = {};
  for (const part of body.split(',')) {
    const m = /^([+-])([QXE])$/.exec(part);
    if (!m) return `unknown log-format flag '${part}' (expects +Q, -Q, +X, -X, +E, -E)`;
    flags[m[2] as 'Q' | 'X' | 'E'] = m[1] === '+';
  }
  return flags;
}

export interface LogContext {
  readonly process: LogProcessInfo;
}

/** Evaluates a parsed format for one record. Pure: dates come from the record, process facts from the context. */
export function renderLogFormat(nodes: readonly LogFormatNode[], record: TrafficLogRecord, ctx: LogContext): string {
  let out = '';
  let lastIsSpace = true;
  let options: LogFlags = {};
  for (const node of nodes) {
    switch (node.kind) {
      case 'separator':
        if (!lastIsSpace) {
          out += ' ';
          lastIsSpace = true;
        }
        break;
      case 'text':
        out += node.text;
        lastIsSpace = false;
        break;
      case 'options':
        options = { ...options, ...node.flags };
        break;
      case 'var': {
        const flags = { ...options, ...node.flags };
        const printed = printLogValue(VARIABLES[node.name]!(record, ctx, flags), flags);
        if (printed.length > 0) {
          out += printed;
          lastIsSpace = false;
        }
        break;
      }
      case 'sample': {
        // As HAProxy's LOG_FMT_EXPR: the sample as text (no value or an empty one: '-'); Q quotes, E escapes.
        const text = record.sample?.(node.expr);
        out += printLogValue({ kind: 'string', text: text === '' ? undefined : text }, { ...options, ...node.flags });
        lastIsSpace = false;
      }
    }
  }
  return out;
}
