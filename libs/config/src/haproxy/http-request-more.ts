import type { ConfigFilePort } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { logFormat, logFormatValue, sampleExpr } from './http-actions.js';

/**
 * More `http-request` actions (HAProxy 2.6 configuration.txt 4.2): `auth [realm <r>]`, `reject`, `silent-drop`,
 * `early-hint <name> <fmt>`, `set-pathq <fmt>`, `normalize-uri <normalizer> [full|strict]`, `set-src|set-src-port|set-dst|set-dst-port <expr>`.
 * Each parser returns the rule's own fields and the words left for the condition.
 */
type Parsed = { rule: Record<string, unknown>; rest: readonly string[] };

const isCond = (w: string | undefined) => w === undefined || w === 'if' || w === 'unless';

/** The normalizers of HAProxy 2.6 and the option each one accepts. */
export const URI_NORMALIZERS: Readonly<Record<string, 'full' | 'strict' | undefined>> = {
  'path-merge-slashes': undefined,
  'path-strip-dot': undefined,
  'path-strip-dotdot': 'full',
  'percent-decode-unreserved': 'strict',
  'percent-to-uppercase': 'strict',
  'query-sort-by-name': undefined,
  'fragment-strip': undefined,
  'fragment-encode': undefined,
};

/** `proxy` is the section's name: the default realm of `auth` (HAProxy uses the proxy's id). */
export function parseMoreRequestAction(action: string, rest: readonly string[], files: ConfigFilePort | undefined, proxy: string): Parsed | undefined {
  switch (action) {
    case 'auth': {
      if (rest[0] === 'realm') {
        if (isCond(rest[1])) throw new AclSyntaxError("'auth realm' expects a realm");
        return { rule: { action, realm: rest[1] }, rest: rest.slice(2) };
      }
      return { rule: { action, realm: proxy }, rest };
    }
    case 'reject':
    case 'silent-drop':
      return { rule: { action }, rest };
    case 'early-hint': {
      // `early-hint <name> <fmt>`: one header of the 103 Early Hints interim response (HAProxy 2.6).
      if (isCond(rest[0]) || isCond(rest[1])) throw new AclSyntaxError("'early-hint' expects a header name and a log-format value");
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(rest[0]!)) throw new AclSyntaxError(`'${rest[0]}' is not a valid header name`);
      return { rule: { action, name: rest[0], ...logFormatValue(rest[1]!, files) }, rest: rest.slice(2) };
    }
    case 'set-pathq': {
      if (isCond(rest[0])) throw new AclSyntaxError("'set-pathq' expects a log-format value");
      return { rule: { action, format: logFormat(rest[0]!, files) }, rest: rest.slice(1) };
    }
    case 'normalize-uri': {
      const name = rest[0] ?? '';
      if (!(name in URI_NORMALIZERS)) throw new AclSyntaxError(`'normalize-uri' expects one of ${Object.keys(URI_NORMALIZERS).join(', ')}, got '${name}'`);
      const opt = URI_NORMALIZERS[name];
      if (opt !== undefined && rest[1] === opt) return { rule: { action, normalizer: name, option: true }, rest: rest.slice(2) };
      return { rule: { action, normalizer: name, option: false }, rest: rest.slice(1) };
    }
    case 'set-src':
    case 'set-src-port':
    case 'set-dst':
    case 'set-dst-port': {
      if (isCond(rest[0])) throw new AclSyntaxError(`'${action}' expects a sample expression (e.g. '${action} hdr(x-forwarded-for)')`);
      return { rule: { action, expr: sampleExpr(rest[0]!, files) }, rest: rest.slice(1) };
    }
  }
  return undefined;
}
