import type { DiagnosticSink } from '../haproxy/diagnostics.js';
import type { ConfigFilePort } from '../haproxy/parse-context.js';
import { tokenize, type Token } from './lexer.js';

const INCLUDE_KEYWORDS = new Set(['include', 'includer', 'includem', 'includew', 'includeb', 'includea']);

/** Directory part of a path ('' for a bare name). */
function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : slash === 0 ? '/' : path.slice(0, slash);
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return `${dir.endsWith('/') ? dir : `${dir}/`}${name.replace(/^\.\//, '')}`;
}

/** A shell glob of one path component (`*`, `?`, `[…]`) as a regular expression. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const c of pattern) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[' || c === ']') re += c;
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const hasWildcard = (s: string) => /[*?[]/.test(s);

/**
 * The tokens of `mainFile` with every `include FILE|GLOB` line replaced by the tokens of the files it names, read
 * through the port. As in keepalived, a relative path is relative to the directory of the including file, and a
 * glob's matches are read in lexical order. Globs are supported in the last path component only.
 */
export function readTokens(mainFile: string, port: ConfigFilePort, sink: DiagnosticSink, maxDepth: number): { tokens: Token[]; files: string[] } {
  const files: string[] = [];
  const read = (file: string, chain: readonly string[], from?: { file: string; line: number; keyword: string }): Token[] => {
    const content = port.read(file);
    if (content instanceof Error) {
      const message = `cannot read '${file}': ${/ENOENT/.test(content.message) ? 'No such file or directory' : content.message}`;
      if (from) sink.error(from.file, from.line, from.keyword, message);
      else sink.error(file, 0, 'keepalived.conf', message);
      return [];
    }
    files.push(file);
    const out: Token[] = [];
    const tokens = tokenize(file, content.toString('utf8'), sink);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const lineStart = i === 0 || tokens[i - 1]!.line !== t.line;
      if (!(t.kind === 'word' && !t.quoted && lineStart && INCLUDE_KEYWORDS.has(t.text))) {
        out.push(t);
        continue;
      }
      const args: Token[] = [];
      while (tokens[i + 1]?.line === t.line && tokens[i + 1]!.kind === 'word') args.push(tokens[++i]!);
      const where = { file, line: t.line, keyword: t.text };
      if (args.length !== 1) {
        sink.error(file, t.line, t.text, `expects one file name or glob, for example 'include /etc/keepalived/conf.d/*.conf' (got ${args.length})`);
        continue;
      }
      if (chain.length >= maxDepth) {
        sink.error(file, t.line, t.text, `includes are nested more than ${maxDepth} deep (an include loop?)`);
        continue;
      }
      const target = joinPath(dirOf(file), args[0]!.text);
      for (const path of expand(target, port, sink, where)) {
        if (chain.includes(path) || path === file) {
          sink.error(file, t.line, t.text, `'${path}' includes itself (include loop)`);
          continue;
        }
        out.push(...read(path, [...chain, file], where));
      }
    }
    return out;
  };
  return { tokens: read(mainFile, []), files };
}

function expand(target: string, port: ConfigFilePort, sink: DiagnosticSink, where: { file: string; line: number; keyword: string }): string[] {
  if (/[{}]/.test(target)) {
    sink.error(where.file, where.line, where.keyword, `brace expressions in include paths ('${target}') are not supported by Tandem; list the files with one include each`);
    return [];
  }
  if (!hasWildcard(target)) return [target];
  const dir = dirOf(target);
  if (hasWildcard(dir)) {
    sink.error(where.file, where.line, where.keyword, `wildcards are supported in the file name only, not in the directory ('${target}')`);
    return [];
  }
  const re = globToRegExp(target.slice(target.lastIndexOf('/') + 1));
  const entries = port.listDirectory(dir || '.');
  const matches = (entries ?? []).filter((p) => re.test(p.slice(p.lastIndexOf('/') + 1))).sort();
  if (matches.length === 0) sink.warning(where.file, where.line, where.keyword, `no file matches '${target}'`);
  return matches;
}
