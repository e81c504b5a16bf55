import type { DiagnosticSink } from '../haproxy/diagnostics.js';

/**
 * keepalived's lexical rules (keepalived.conf(5), "DESCRIPTION"): words are separated by blanks; `#` and `!` start a
 * comment that runs to the end of the line; `{` and `}` delimit blocks; `"…"` is one word (blanks kept, `\"` and
 * `\\` escaped). A comment starts only where a word could start, so `auth_pass secret!` keeps its `!`.
 */
export interface Token {
  readonly kind: 'word' | 'open' | 'close';
  readonly text: string;
  readonly quoted: boolean;
  readonly file: string;
  readonly line: number;
}

const BLANK = /[ \t\r\f\v]/;

/** The tokens of one file, in order. Problems (unterminated quotes, `@` conditionals) go to the sink. */
export function tokenize(file: string, text: string, sink: DiagnosticSink): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const source = lines[index]!;
    const trimmed = source.replace(/^[ \t\r\f\v]+/, '');
    if (trimmed.startsWith('@')) {
      const word = trimmed.split(/[ \t\r\f\v]/, 1)[0]!;
      sink.error(file, lineNo, word, "conditional configuration lines ('@config-id …') are not supported by Tandem; keep one configuration file per node");
      continue;
    }
    if (trimmed.startsWith('$')) {
      const word = trimmed.split(/[ \t\r\f\v=]/, 1)[0]!;
      sink.error(file, lineNo, word, "parameter definitions ('$NAME=value') are not supported by Tandem; write the value in place");
      continue;
    }
    let i = 0;
    while (i < source.length) {
      const c = source[i]!;
      if (BLANK.test(c)) {
        i++;
        continue;
      }
      if (c === '#' || c === '!') break;
      if (c === '{' || c === '}') {
        tokens.push({ kind: c === '{' ? 'open' : 'close', text: c, quoted: false, file, line: lineNo });
        i++;
        continue;
      }
      if (c === '"') {
        let value = '';
        let j = i + 1;
        let closed = false;
        while (j < source.length) {
          const d = source[j]!;
          if (d === '\\' && (source[j + 1] === '"' || source[j + 1] === '\\')) {
            value += source[j + 1];
            j += 2;
            continue;
          }
          if (d === '"') {
            closed = true;
            break;
          }
          value += d;
          j++;
        }
        if (!closed) {
          sink.error(file, lineNo, `"${value.slice(0, 20)}`, 'unterminated quoted string (a string ends on the line it starts)');
          break;
        }
        tokens.push({ kind: 'word', text: value, quoted: true, file, line: lineNo });
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < source.length && !BLANK.test(source[j]!) && source[j] !== '{' && source[j] !== '}' && source[j] !== '"') j++;
      tokens.push({ kind: 'word', text: source.slice(i, j), quoted: false, file, line: lineNo });
      i = j;
    }
  }
  return tokens;
}

/** One keyword line, with its arguments and, when it opens one, its block. */
export interface Statement {
  readonly keyword: string;
  readonly file: string;
  readonly line: number;
  readonly args: readonly Token[];
  readonly block?: readonly Statement[];
}

/**
 * Groups tokens into statements. A statement is a keyword and the words after it on the same line; a `{` on that
 * line or at the start of the next one opens its block, which ends at the matching `}` (on any line, also the
 * same one: `track_script { chk }`). Include files are already spliced into `tokens`.
 */
export function buildStatements(tokens: readonly Token[], sink: DiagnosticSink): Statement[] {
  let pos = 0;
  const parseList = (opener: Statement | undefined): Statement[] => {
    const out: Statement[] = [];
    for (;;) {
      const t = tokens[pos];
      if (!t) {
        if (opener) sink.error(opener.file, opener.line, opener.keyword, "block is never closed (missing '}')");
        return out;
      }
      if (t.kind === 'close') {
        pos++;
        if (opener) return out;
        sink.error(t.file, t.line, '}', "unexpected '}': no block is open here");
        continue;
      }
      if (t.kind === 'open') {
        pos++;
        sink.error(t.file, t.line, '{', "'{' without a keyword before it");
        parseList({ keyword: '{', file: t.file, line: t.line, args: [] });
        continue;
      }
      pos++;
      const args: Token[] = [];
      while (tokens[pos]?.kind === 'word' && tokens[pos]!.line === t.line && tokens[pos]!.file === t.file) args.push(tokens[pos++]!);
      const next = tokens[pos];
      const head: Statement = { keyword: t.text, file: t.file, line: t.line, args };
      if (next?.kind === 'open' && next.file === t.file) {
        pos++;
        out.push({ ...head, block: parseList(head) });
      } else {
        out.push(head);
      }
    }
  };
  return parseList(undefined);
}
