/** A word of a configuration line, with its 1-based line number. */
export interface Word {
  readonly text: string;
  readonly quoted: boolean;
}

export interface LogicalLine {
  readonly file: string;
  readonly line: number;
  readonly words: readonly string[];
}

export interface LexError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * HAProxy's line tokenizer: words separated by blanks; `#` starts a comment outside quotes; double quotes group
 * and expand `${VAR}` / `${VAR-default}`; single quotes are literal; a backslash escapes the next character
 * (`\ `, `\#`, `\"`, `\'`, `\\`, `\$`) and `\r`, `\n`, `\t`, `\xNN` give control bytes, any other pair keeps its
 * backslash (as HAProxy's parse_line does, so `\.` and `\1` reach regexes intact); a line ending in a backslash
 * continues on the next one. Adjacent quoted and unquoted parts form one word.
 */
export function tokenize(file: string, text: string, env: Readonly<Record<string, string | undefined>>): { lines: LogicalLine[]; errors: LexError[] } {
  const physical = text.split('\n');
  const lines: LogicalLine[] = [];
  const errors: LexError[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    let raw = physical[i]!.replace(/\r$/, '');
    while (endsWithContinuation(raw) && i + 1 < physical.length) {
      raw = raw.slice(0, -1) + ' ' + physical[++i]!.replace(/\r$/, '').replace(/^\s+/, '');
    }
    const result = splitWords(raw, env);
    if (result.error) errors.push({ file, line: start, message: result.error });
    else if (result.words.length) lines.push({ file, line: start, words: result.words });
  }
  return { lines, errors };
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function splitWords(line: string, env: Readonly<Record<string, string | undefined>>): { words: string[]; error?: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '\\') {
      const next = line[i + 1];
      if (next === undefined) return { words, error: 'a backslash ends the line but no line follows' };
      i++;
      inWord = true;
      if (next === 'r') word += '\r';
      else if (next === 'n') word += '\n';
      else if (next === 't') word += '\t';
      else if (next === 'x') {
        const hex = line.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { words, error: `invalid escape '\\x${hex}'` };
        word += String.fromCharCode(parseInt(hex, 16));
        i += 2;
      } else if (' #"\'\\$'.includes(next)) word += next;
      // HAProxy keeps the backslash of any other pair, so regexes read as written (`path_reg \.php$`, `\1`).
      else word += '\\' + next;
      continue;
    }
    if (ch === '$' && line[i + 1] === '{' && quote !== undefined || ch === '$' && line[i + 1] === '{' && quote === undefined) {
      const end = line.indexOf('}', i + 2);
      if (end < 0) return { words, error: `unterminated '\${' in '${line.slice(i)}'` };
      const spec = line.slice(i + 2, end);
      const dash = spec.indexOf('-');
      const name = dash >= 0 ? spec.slice(0, dash) : spec;
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) return { words, error: `invalid environment variable name '${name}'` };
      const value = env[name];
      word += value !== undefined && value !== '' ? value : dash >= 0 ? spec.slice(dash + 1) : '';
      inWord = true;
      i = end;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === '#') break;
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += ch;
    inWord = true;
  }
  if (quote) return { words, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(word);
  return { words };
}
