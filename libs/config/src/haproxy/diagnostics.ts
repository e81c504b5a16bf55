import type { ConfigDiagnostic } from '../runtime-config.types.js';

/** HAProxy's shape: `[ALERT]    (config) : parsing [file:line] : 'keyword': message; did you mean 'x'?` */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  const label = d.severity === 'error' ? '[ALERT]   ' : '[WARNING] ';
  const where = d.line > 0 ? `parsing [${d.file}:${d.line}] : ` : `${d.file} : `;
  const suggestion = d.suggestion ? `; did you mean '${d.suggestion}'?` : '';
  return `${label} (config) : ${where}'${d.keyword}': ${d.message}${suggestion}`;
}

/** Collects diagnostics; parsing never stops at the first error. */
export class DiagnosticSink {
  readonly all: ConfigDiagnostic[] = [];

  error(file: string, line: number, keyword: string, message: string, suggestion?: string): void {
    this.all.push({ severity: 'error', file, line, keyword, message, ...(suggestion ? { suggestion } : {}) });
  }

  warning(file: string, line: number, keyword: string, message: string): void {
    this.all.push({ severity: 'warning', file, line, keyword, message });
  }

  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }
}
