import type { KeywordLine } from './parse-context.js';
import type { BindConfig, TlsBindOptions } from '../runtime-config.types.js';
import { parseListenAddress } from './addresses.js';
import { nearest } from './suggest.js';

type TlsVersion = NonNullable<TlsBindOptions['minVersion']>;
const VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
/** `no-tlsv10` etc. raise the floor to the next version. */
const DISABLE_FLAGS: ReadonlyMap<string, number> = new Map([['no-sslv3', 0], ['no-tlsv10', 1], ['no-tlsv11', 2], ['no-tlsv12', 3]]);
const VALUE_OPTIONS = ['crt', 'ciphers', 'ciphersuites', 'alpn', 'ssl-min-ver', 'ssl-max-ver', 'name'];
const FLAG_OPTIONS = ['ssl', ...DISABLE_FLAGS.keys(), 'no-tlsv13', 'v4v6', 'v6only'];

/**
 * `bind <addr>[,<addr>...] [options]`. One BindConfig per address. With `ssl`, the PEM files named by `crt` (a file,
 * or a directory of them) are read now, so a missing certificate is a load error with its line.
 */
export function parseBindLine(kw: KeywordLine, args: readonly string[]): BindConfig[] | undefined {
  if (args.length < 1) {
    kw.sink.error(kw.file, kw.line, 'bind', 'expects an address (ip:port, [ipv6]:port, *:port, unix@/path, fd@<n>)');
    return undefined;
  }
  let ssl = false;
  const certificates: string[] = [];
  const pems: Buffer[] = [];
  let ciphers: string | undefined;
  let ciphersuites: string | undefined;
  let alpn: string[] | undefined;
  let floor = 0;
  let explicitFloor = false;
  let ceiling = 3;
  let name: string | undefined;
  let ok = true;
  const fail = (message: string, suggestion?: string) => {
    kw.sink.error(kw.file, kw.line, 'bind', message, suggestion);
    ok = false;
  };

  for (let i = 1; i < args.length; i++) {
    const option = args[i]!;
    if (VALUE_OPTIONS.includes(option)) {
      const value = args[++i];
      if (value === undefined) {
        fail(`'${option}' expects a value`);
        continue;
      }
      if (option === 'crt') {
        const listed = kw.files.listDirectory(value);
        for (const path of listed ?? [value]) {
          const content = kw.files.read(path);
          if (content instanceof Error) fail(`'crt': cannot read '${path}': ${content.message}`);
          else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content.toString('latin1'))) fail(`'crt': '${path}' has no private key (Tandem, like HAProxy, expects the certificate, its chain and its key in one PEM)`);
          else {
            certificates.push(path);
            pems.push(content);
          }
        }
      } else if (option === 'ciphers') ciphers = value;
      else if (option === 'ciphersuites') ciphersuites = value;
      else if (option === 'alpn') alpn = value.split(',').filter(Boolean);
      else if (option === 'name') name = value;
      else {
        const index = VERSIONS.indexOf(value as TlsVersion);
        if (index < 0) fail(`'${option}' expects one of ${VERSIONS.join(', ')}, got '${value}'`);
        else if (option === 'ssl-min-ver') {
          floor = index;
          explicitFloor = true;
        }
        else ceiling = index;
      }
    } else if (FLAG_OPTIONS.includes(option)) {
      if (option === 'ssl') ssl = true;
      else if (option === 'no-tlsv13') ceiling = Math.min(ceiling, 2);
      else if (DISABLE_FLAGS.has(option)) floor = Math.max(floor, DISABLE_FLAGS.get(option)!);
    } else {
      fail(`unknown bind option '${option}'`, nearest(option, [...VALUE_OPTIONS, ...FLAG_OPTIONS]));
    }
  }
  if (ssl && certificates.length === 0 && ok) fail("'ssl' needs at least one 'crt' <pem file or directory>");
  if (!ssl && (certificates.length || ciphers || alpn)) fail("TLS options without 'ssl' (add 'ssl' to terminate TLS on this bind)");
  if (floor > ceiling) fail('the minimum TLS version is above the maximum');

  const binds: BindConfig[] = [];
  for (const text of args[0]!.split(',')) {
    const address = parseListenAddress(text);
    if (typeof address === 'string') {
      fail(address);
      continue;
    }
    const tls: TlsBindOptions | undefined = ssl
      ? {
          certificates,
          pems,
          ...(ciphers ? { ciphers } : {}),
          ...(ciphersuites ? { ciphersuites } : {}),
          ...(alpn ? { alpn } : {}),
          // Without ssl-min-ver the floor is TLS 1.2 (HAProxy 2.6's and Node's default); no-tlsv1x only raise it.
          minVersion: VERSIONS[explicitFloor ? floor : Math.max(floor, 2)]!,
          ...(ceiling < 3 ? { maxVersion: VERSIONS[ceiling]! } : {}),
        }
      : undefined;
    binds.push({ address, ...(tls ? { tls } : {}), ...(name ? { name } : {}), source: { file: kw.file, line: kw.line } });
  }
  return ok ? binds : undefined;
}
