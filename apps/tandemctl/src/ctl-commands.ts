/**
 * tandemctl's own verbs, translated to admin-socket commands (tandemctl stays a thin client: the daemon reads the
 * state database). Pure, tested beside.
 *   audit [<n>]             → show audit [<n>]
 *   config history [<n>]    → show config history [<n>]
 *   config diff <a> <b>     → show config diff <a> <b>
 * With --json, the list commands ask the daemon for JSON (`... json`), printed as is.
 */
export interface CtlCommand {
  readonly line: string;
  /** The answer is already the JSON document to print (no `{ command, answer }` wrapping). */
  readonly answersJson: boolean;
}

export function translateCtlWords(words: readonly string[], json: boolean): CtlCommand | { error: string } {
  const [first, second, ...rest] = words;
  if (first === 'audit') {
    const args = words.slice(1);
    if (args.length > 1 || (args[0] !== undefined && !/^\d+$/.test(args[0]))) return { error: 'usage: tandemctl audit [<n>]' };
    return list(['show', 'audit', ...args], json);
  }
  if (first === 'config' && second === 'history') {
    if (rest.length > 1 || (rest[0] !== undefined && !/^\d+$/.test(rest[0]))) return { error: 'usage: tandemctl config history [<n>]' };
    return list(['show', 'config', 'history', ...rest], json);
  }
  if (first === 'config' && second === 'diff') {
    if (rest.length !== 2 || !rest.every((a) => /^\d+$/.test(a))) return { error: "usage: tandemctl config diff <id-a> <id-b> (ids from 'tandemctl config history')" };
    return { line: ['show', 'config', 'diff', ...rest].join(' '), answersJson: false };
  }
  return { line: words.join(' '), answersJson: false };
}

function list(words: readonly string[], json: boolean): CtlCommand {
  return { line: [...words, ...(json ? ['json'] : [])].join(' '), answersJson: json };
}
