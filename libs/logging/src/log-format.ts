import type { LogProcessInfo, TrafficLogRecord } from './log-record.types.js';
import { printLogValue, type LogFlags } from '@tandem/config';
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
  | { readonly kind: 'options'; readonly flags: LogFlags };

/** Q: quote strings; X: hexadecimal numbers and addresses; E: escape `"`, `\\` and `]` (shared with rule values). */
export type { LogFlags };

export type ParsedLogFormat = { readonly ok: true; readonly nodes: readonly LogFormatNode[] } | { readonly ok: false; readonly error: string };

export function parseLogFormat(format: string): ParsedLogFormat {
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
    if (format[i] === '[') return { ok: false, error: "sample fetch expressions ('%[...]') are recognised but not implemented yet in Tandem (issue #6: sample fetches)" };
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
      }
    }
  }
  return out;
}
