/**
 * `http-errors <name>` sections and the `errorfiles` keyword (configuration.txt 3.8 and 4.2, HAProxy 2.6). A
 * section holds `errorfile <code> <file>` lines; a proxy's `errorfiles <name> [<code> …]` imports its messages (all
 * of them, or the listed codes) over the proxy's own, in line order with `errorfile` (the last one wins), and
 * `http-request deny|tarpit|return … errorfiles <name>` answers with the section's message for its status.
 * Sections are read in a pass before the proxies, so a proxy may name a section declared after it.
 */
import type { LogicalLine } from './lexer.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { ConfigFilePort, KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { loadErrorMessage } from './errorfile-message.js';
import { nearest } from './suggest.js';

/** The status codes HAProxy 2.6 keeps an error message for (http_err_codes). */
export const ERROR_MESSAGE_CODES: ReadonlySet<number> = new Set([200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504]);

export interface HttpErrorsSection {
  readonly name: string;
  readonly messages: Map<number, Buffer>;
  readonly source: { readonly file: string; readonly line: number };
}

export type HttpErrorsRegistry = ReadonlyMap<string, HttpErrorsSection>;

/** Reads every `http-errors` section of the configuration (lines of other sections are left alone). */
export function collectHttpErrors(lines: readonly LogicalLine[], isSection: (keyword: string) => boolean, files: ConfigFilePort, sink: DiagnosticSink): HttpErrorsRegistry {
  const sections = new Map<string, HttpErrorsSection>();
  let current: HttpErrorsSection | undefined;
  for (const line of lines) {
    const [keyword, ...args] = line.words as [string, ...string[]];
    if (keyword === 'http-errors') {
      current = undefined;
      const name = args[0];
      if (!name) {
        sink.error(line.file, line.line, keyword, 'expects a name');
        continue;
      }
      const other = sections.get(name);
      if (other) sink.error(line.file, line.line, keyword, `http-errors section '${name}' has the same name as another http-errors section declared at ${other.source.file}:${other.source.line}`);
      else sections.set(name, (current = { name, messages: new Map(), source: { file: line.file, line: line.line } }));
      continue;
    }
    if (isSection(keyword)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    if (keyword !== 'errorfile') {
      sink.error(line.file, line.line, keyword, "unknown keyword in 'http-errors' section (expects 'errorfile <code> <file>')", nearest(keyword, ['errorfile']));
      continue;
    }
    const code = Number(args[0]);
    if (args.length !== 2 || !ERROR_MESSAGE_CODES.has(code)) {
      sink.error(line.file, line.line, keyword, args.length !== 2 ? 'expects <code> <file>' : `status code '${args[0]}' cannot be customised (valid: ${[...ERROR_MESSAGE_CODES].join(' ')})`);
      continue;
    }
    const message = loadErrorMessage(files, args[1]!);
    if (typeof message === 'string') sink.error(line.file, line.line, keyword, message);
    else current.messages.set(code, message);
  }
  return sections;
}

/** `errorfiles <name> [<code> …]` in a proxy: the section's messages (or the listed ones) replace the proxy's. */
export function applyErrorfiles(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): void {
  const registry = kw.files.httpErrors ?? new Map<string, HttpErrorsSection>();
  const name = args[0];
  if (!name) return kw.sink.error(kw.file, kw.line, 'errorfiles', 'expects <name> [<code> ...]');
  const section = registry.get(name);
  if (!section) return kw.sink.error(kw.file, kw.line, 'errorfiles', `unknown http-errors section '${name}'`, nearest(name, registry.keys()));
  const codes: number[] = [];
  for (const w of args.slice(1)) {
    const code = Number(w);
    if (!ERROR_MESSAGE_CODES.has(code)) return kw.sink.error(kw.file, kw.line, 'errorfiles', `status code '${w}' not handled (valid: ${[...ERROR_MESSAGE_CODES].join(' ')})`);
    codes.push(code);
  }
  for (const code of codes.length ? codes : section.messages.keys()) {
    const message = section.messages.get(code);
    if (message) draft.errorFiles.set(code, message);
    else kw.sink.warning(kw.file, kw.line, 'errorfiles', `status code ${code} is not declared in http-errors section '${name}' (at ${section.source.file}:${section.source.line}); the proxy's own message stays`);
  }
}
