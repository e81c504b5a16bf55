import { formatDiagnostic, loadHaproxyConfig } from '@tandem/config';
import { HAPROXY_COMPAT_VERSION } from './version.js';

/**
 * `tandemd -c`: parse and validate, print every diagnostic on stderr as HAProxy does, and return the exit code
 * (0 valid, 1 invalid). Warnings alone do not fail the check, as in HAProxy.
 */
export function runCheck(paths: readonly string[], quiet: boolean): number {
  const result = loadHaproxyConfig([...paths], { version: HAPROXY_COMPAT_VERSION });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    process.stderr.write(`[ALERT]    (config) : Fatal errors found in configuration (${errors} error${errors === 1 ? '' : 's'}).\n`);
    return 1;
  }
  if (!quiet) process.stdout.write('Configuration file is valid\n');
  return 0;
}
