import type { CookiePersistenceConfig } from '../runtime-config.types.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { notImplementedMessage } from './not-implemented.js';

const MODES = new Set(['rewrite', 'insert', 'prefix']);
const FLAGS = new Set(['indirect', 'nocache', 'postonly', 'preserve', 'httponly', 'secure']);
const OPTIONS = "'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'preserve', 'httponly', 'secure', 'domain', 'maxidle', 'maxlife', 'dynamic' and 'attr'";

/**
 * `cookie <name> [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly] [secure]
 * [domain <d>]* [maxidle <t>] [maxlife <t>] [dynamic] [attr <v>]*` (defaults, backend, listen), and
 * `option persist`. `maxidle`, `maxlife` and `dynamic` are refused as not implemented (issue #6).
 */
export const COOKIE_KEYWORDS: readonly ProxyKeyword[] = [
  {
    words: ['cookie'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const fail = (message: string) => kw.sink.error(kw.file, kw.line, 'cookie', message);
      const name = args[0];
      if (!name) return fail('expects <cookie_name> as argument');
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return fail(`'${name}' is not a valid cookie name`);
      let mode: CookiePersistenceConfig['mode'] | undefined;
      const flags = new Set<string>();
      const domains: string[] = [];
      const attrs: string[] = [];
      for (let i = 1; i < args.length; i++) {
        const w = args[i]!;
        if (MODES.has(w)) {
          if (mode !== undefined && mode !== w) return fail(`'rewrite', 'insert' and 'prefix' modes are mutually exclusive`);
          mode = w as CookiePersistenceConfig['mode'];
        } else if (FLAGS.has(w)) flags.add(w);
        else if (w === 'domain') {
          const d = args[++i];
          if (!d) return fail("'domain' expects a domain name as argument");
          if (/[\x00-\x20;]/.test(d)) return fail(`domain '${d}' contains a space, a control character or ';'`);
          // RFC 6265 accepts a leading dot; a name without any inner dot cannot match more than one host.
          if (!d.slice(1).includes('.')) kw.sink.warning(kw.file, kw.line, 'cookie', `domain '${d}' contains no embedded dot; browsers may refuse the cookie`);
          domains.push(d);
        } else if (w === 'attr') {
          const v = args[++i];
          if (!v) return fail("'attr' expects a cookie attribute as argument");
          if (/[\x00-\x1f\x7f;]/.test(v)) return fail(`attr '${v}' contains a control character or ';'`);
          attrs.push(v);
        } else if (w === 'maxidle' || w === 'maxlife') {
          i++;
          return kw.sink.error(kw.file, kw.line, `cookie ${w}`, notImplementedMessage(6));
        } else if (w === 'dynamic') {
          return kw.sink.error(kw.file, kw.line, 'cookie dynamic', notImplementedMessage(6));
        } else return fail(`unknown option '${w}' (supported: ${OPTIONS})`);
      }
      if (flags.has('preserve') && mode !== 'insert' && !flags.has('indirect')) return fail("'preserve' requires at least 'insert' or 'indirect'");
      draft.cookie = {
        name,
        mode: mode ?? 'passive',
        indirect: flags.has('indirect'),
        nocache: flags.has('nocache'),
        postonly: flags.has('postonly'),
        preserve: flags.has('preserve'),
        httponly: flags.has('httponly'),
        secure: flags.has('secure'),
        domains,
        attrs,
        source: { file: kw.file, line: kw.line },
      };
    },
  },
  {
    words: ['option', 'persist'],
    sections: 'dbl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      draft.persist = !negated;
    },
  },
];
