/**
 * HAProxy's CLI request syntax: one line holds one or more commands separated by `;`; words are separated by
 * spaces; a backslash escapes the next character (so `\;` and `\ ` are literal). Pure: no sockets.
 */
export function splitCommandLine(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (ch === ';') {
      endWord();
      if (words.length) commands.push(words);
      words = [];
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endWord();
  if (words.length) commands.push(words);
  return commands;
}

/**
 * Splits a byte stream into complete lines, keeping a partial line between chunks. Lines longer than `maxLine`
 * are reported as overflow rather than buffered without bound.
 */
export class LineFramer {
  private pending = '';

  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: string): { lines: string[]; overflow: boolean } {
    this.pending += chunk;
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    const overflow = this.pending.length > this.maxLine;
    if (overflow) this.pending = '';
    return { lines: parts, overflow };
  }

  /** The partial line still buffered (the client closed without a final newline); empties the buffer. */
  rest(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
