import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const TANDEM_VERSION: string = pkg.version;
/** The HAProxy configuration language level Tandem implements; `version_atleast()` in `.if` compares to it. */
export const HAPROXY_COMPAT_VERSION = '2.6';

export function versionText(verbose: boolean): string {
  const lines = [`Tandem version ${TANDEM_VERSION} - https://tandem.invalid (HAProxy ${HAPROXY_COMPAT_VERSION} configuration language)`];
  if (verbose) {
    lines.push(
      `Running on: Node.js ${process.version} (${process.platform}/${process.arch})`,
      `OpenSSL: ${process.versions.openssl}`,
      'Built with: mode tcp, mode http (HTTP/1.1), TLS termination, SQLite state (TypeORM + sqlite3)',
    );
  }
  return lines.join('\n') + '\n';
}
