import type { DiagnosticSink } from '../haproxy/diagnostics.js';
import { ipFamily } from '../haproxy/addresses.js';
import { nearest } from '../haproxy/suggest.js';
import type { SourceLocation } from '../runtime-config.types.js';
import type { Statement, Token } from './lexer.js';

/** Where findings go and what the enclosing block is called (for messages: `in 'vrrp_instance VI_1'`). */
export interface Scope {
  readonly sink: DiagnosticSink;
  readonly label: string;
}

export const at = (s: Statement): SourceLocation => ({ file: s.file, line: s.line });

export function error(scope: Scope, s: Statement, message: string, suggestion?: string, keyword = s.keyword): void {
  scope.sink.error(s.file, s.line, keyword, message, suggestion);
}

export function warning(scope: Scope, s: Statement, message: string, keyword = s.keyword): void {
  scope.sink.warning(s.file, s.line, keyword, message);
}

/** The argument words, or an error when their count is outside min..max. */
export function args(scope: Scope, s: Statement, min: number, max: number, usage: string): string[] | undefined {
  const words = s.args.map((t) => t.text);
  if (words.length < min || words.length > max) {
    const expected = min === max ? (min === 0 ? 'no argument' : `${min} argument${min > 1 ? 's' : ''}`) : `${min} to ${max} arguments`;
    error(scope, s, `expects ${expected} (${usage}), got ${words.length}`);
    return undefined;
  }
  return words;
}

/** keepalived's <TIMER>: seconds, fractions allowed (`2`, `0.5`, `2.71828`). */
export function parseSeconds(text: string): number | undefined {
  return /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : undefined;
}

/** A whole number in min..max, or an error message naming the range and what the value means. */
export function integerIn(scope: Scope, s: Statement, text: string, min: number, max: number, what: string): number | undefined {
  if (!/^[-+]?\d+$/.test(text)) {
    error(scope, s, `'${text}' is not a whole number; ${what} is ${min}..${max}`);
    return undefined;
  }
  const value = Number(text);
  if (value < min || value > max) {
    error(scope, s, `${value} is out of range; ${what} is ${min}..${max}`);
    return undefined;
  }
  return value;
}

/** Seconds (fractions allowed) in min..max, returned as milliseconds. */
export function secondsIn(scope: Scope, s: Statement, text: string, min: number, max: number, what: string): number | undefined {
  const seconds = parseSeconds(text);
  if (seconds === undefined) {
    error(scope, s, `'${text}' is not a time in seconds (for example 2 or 0.5); ${what}`);
    return undefined;
  }
  if (seconds < min || seconds > max) {
    error(scope, s, `${text} s is out of range; ${what} is ${min}..${max} s`);
    return undefined;
  }
  return Math.round(seconds * 1000);
}

/** One of `choices`, or an error with the nearest choice as suggestion. */
export function oneOf<T extends string>(scope: Scope, s: Statement, text: string, choices: readonly T[], what: string): T | undefined {
  const found = choices.find((c) => c === text) ?? choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (found) return found;
  error(scope, s, `unknown ${what} '${text}' (expected ${choices.join(' or ')})`, nearest(text, choices));
  return undefined;
}

export function ipAddress(text: string): 4 | 6 | undefined {
  const family = ipFamily(text);
  return family === 0 ? undefined : family;
}

/**
 * A command line for a script or notify keyword. keepalived takes the rest of the line: one quoted word, or several
 * words (a quoted word among several keeps its quotes so the command splits the same way later).
 */
export function commandLine(tokens: readonly Token[]): string {
  if (tokens.length === 1) return tokens[0]!.text;
  return tokens.map((t) => (t.quoted && /\s|^$/.test(t.text) ? `"${t.text.replace(/(["\\])/g, '\\$1')}"` : t.text)).join(' ');
}
