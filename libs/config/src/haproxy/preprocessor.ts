import type { LogicalLine } from './lexer.js';
import type { DiagnosticSink } from './diagnostics.js';

export interface PreprocessorOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The HAProxy version whose language Tandem speaks, for version_atleast()/version_before(). */
  readonly version: string;
  readonly features: ReadonlySet<string>;
}

/**
 * HAProxy's conditional blocks: `.if <cond>`, `.elif <cond>`, `.else`, `.endif` (nested), and `.diag`, `.notice`,
 * `.warning`, `.alert`. Conditions: `defined(VAR)`, `version_atleast(X)`, `version_before(X)`, `feature(NAME)`,
 * `streq(a,b)`, `strneq(a,b)`, numbers (non-zero is true), `!`, `&&`, `||` and parentheses.
 */
export function preprocess(lines: readonly LogicalLine[], options: PreprocessorOptions, sink: DiagnosticSink): LogicalLine[] {
  const out: LogicalLine[] = [];
  // Each open block: is it active now, has a branch been taken, was the enclosing block active.
  const stack: Array<{ active: boolean; taken: boolean; parent: boolean; file: string; line: number }> = [];
  const active = () => stack.every((b) => b.active);
  for (const line of lines) {
    const [first, ...rest] = line.words;
    if (!first?.startsWith('.')) {
      if (active()) out.push(line);
      continue;
    }
    const condition = rest.join(' ');
    switch (first) {
      case '.if': {
        const parent = active();
        const value = parent ? evaluate(condition, options, (m) => sink.error(line.file, line.line, '.if', m)) : false;
        stack.push({ active: value, taken: value, parent, file: line.file, line: line.line });
        break;
      }
      case '.elif': {
        const block = stack.at(-1);
        if (!block) { sink.error(line.file, line.line, '.elif', "'.elif' without '.if'"); break; }
        const value = block.parent && !block.taken ? evaluate(condition, options, (m) => sink.error(line.file, line.line, '.elif', m)) : false;
        block.active = value;
        block.taken ||= value;
        break;
      }
      case '.else': {
        const block = stack.at(-1);
        if (!block) { sink.error(line.file, line.line, '.else', "'.else' without '.if'"); break; }
        block.active = block.parent && !block.taken;
        block.taken = true;
        break;
      }
      case '.endif':
        if (!stack.pop()) sink.error(line.file, line.line, '.endif', "'.endif' without '.if'");
        break;
      case '.diag':
      case '.notice':
        break;
      case '.warning':
        if (active()) sink.warning(line.file, line.line, '.warning', condition);
        break;
      case '.alert':
        if (active()) sink.error(line.file, line.line, '.alert', condition);
        break;
      default:
        sink.error(line.file, line.line, first, 'unknown preprocessor directive (expects .if, .elif, .else, .endif, .diag, .notice, .warning, .alert)');
    }
  }
  for (const block of stack) sink.error(block.file, block.line, '.if', "'.if' without '.endif'");
  return out;
}

function evaluate(text: string, options: PreprocessorOptions, fail: (message: string) => void): boolean {
  const tokens = text.match(/\s*(\|\||&&|!|\(|\)|[A-Za-z_][A-Za-z0-9_]*\([^()]*\)|[^\s()!&|]+)/g)?.map((t) => t.trim()) ?? [];
  let pos = 0;
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (tokens[pos] === '||') { pos++; const right = parseAnd(); value = value || right; }
    return value;
  };
  const parseAnd = (): boolean => {
    let value = parseUnary();
    while (tokens[pos] === '&&') { pos++; const right = parseUnary(); value = value && right; }
    return value;
  };
  const parseUnary = (): boolean => {
    const token = tokens[pos++];
    if (token === '!') return !parseUnary();
    if (token === '(') {
      const value = parseOr();
      if (tokens[pos++] !== ')') fail(`missing ')' in '${text}'`);
      return value;
    }
    if (token === undefined) { fail(`incomplete condition '${text}'`); return false; }
    return term(token);
  };
  const term = (token: string): boolean => {
    const call = /^([A-Za-z_][A-Za-z0-9_]*)\(([^()]*)\)$/.exec(token);
    if (!call) {
      if (/^-?\d+$/.test(token)) return Number(token) !== 0;
      if (token === '') return false;
      fail(`invalid term '${token}' in condition '${text}'`);
      return false;
    }
    const args = call[2]!.split(',').map((a) => a.trim());
    switch (call[1]) {
      case 'defined': return options.env[args[0]!] !== undefined;
      case 'version_atleast': return compareVersions(options.version, args[0]!) >= 0;
      case 'version_before': return compareVersions(options.version, args[0]!) < 0;
      case 'feature': return options.features.has(args[0]!.toUpperCase());
      case 'streq': return args[0] === args[1];
      case 'strneq': return args[0] !== args[1];
      default:
        fail(`unknown function '${call[1]}' in condition '${text}'`);
        return false;
    }
  };
  const value = parseOr();
  if (pos < tokens.length) fail(`unexpected '${tokens[pos]}' in condition '${text}'`);
  return value;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
