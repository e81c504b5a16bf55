import type { PatternRefRegistry } from '../pattern-ref.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { HttpErrorsRegistry } from './http-errors-section.js';

/** File access the parser needs (errorfile, crt), as a port so the parser stays pure. */
export interface ConfigFilePort {
  read(path: string): Buffer | Error;
  /** Files of a directory (sorted), or undefined when `path` is not a directory. */
  listDirectory(path: string): string[] | undefined;
  /** The configuration's map/ACL file references (pattern-ref.ts), shared by every user of a file; set by the parser. */
  readonly patterns?: PatternRefRegistry;
  /** The configuration's `http-errors` sections (http-errors-section.ts), read before the proxies; set by the parser. */
  readonly httpErrors?: HttpErrorsRegistry;
}

/** One keyword line being handled: where it is, its words, and where findings go. */
export interface KeywordLine {
  readonly file: string;
  readonly line: number;
  readonly words: readonly string[];
  readonly sink: DiagnosticSink;
  readonly files: ConfigFilePort;
}
