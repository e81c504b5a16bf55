/**
 * `-k <keepalived.conf>`: loads the keepalived configuration with @tandem/config's parser and reports its
 * diagnostics exactly like HAProxy config errors (`[ALERT] ... : config : parsing [file:line] : ...`).
 * Main-thread code: it must not import @tandem/vrrp at runtime (the raw-socket addon is loaded by the worker only).
 */
import { formatDiagnostic, loadKeepalivedConfig, type KeepalivedConfig } from '@tandem/config';

export interface KeepalivedLoad {
  readonly ok: boolean;
  readonly config?: KeepalivedConfig;
  /** Every diagnostic (errors and warnings), formatted as HAProxy prints them. */
  readonly messages: readonly string[];
  readonly errors: number;
}

export function loadVrrpConfig(path: string): KeepalivedLoad {
  let result;
  try {
    result = loadKeepalivedConfig(path);
  } catch (error) {
    return { ok: false, messages: [`[ALERT]    (config) : ${path}: ${error instanceof Error ? error.message : String(error)}`], errors: 1 };
  }
  const messages = result.diagnostics.map((d) => formatDiagnostic(d));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (!result.config || errors > 0) return { ok: false, messages, errors: Math.max(1, errors) };
  return { ok: true, config: result.config, messages, errors: 0 };
}

/** `tandemd -c -k <file>`: prints the keepalived diagnostics on stderr; returns the exit code (0 valid, 1 invalid). */
export function runKeepalivedCheck(path: string, quiet: boolean): number {
  const load = loadVrrpConfig(path);
  for (const m of load.messages) process.stderr.write(`${m}\n`);
  if (!load.ok) {
    process.stderr.write(`[ALERT]    (config) : Fatal errors found in keepalived configuration ${path} (${load.errors} error${load.errors === 1 ? '' : 's'}).\n`);
    return 1;
  }
  if (!quiet) process.stdout.write(`keepalived configuration ${path} is valid\n`);
  return 0;
}

/** A stable text form of a config for "did it change?" on reload (the source locations are left out). */
export function configFingerprint(config: KeepalivedConfig): string {
  return JSON.stringify(config, (key, value: unknown) => (key === 'source' || key === 'files' ? undefined : value));
}
