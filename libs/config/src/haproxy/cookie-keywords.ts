import type { CookiePersistenceConfig } from '../runtime-config.types.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { parseCookieTimer } from './cookie-timer.js';

const MODES = new Set(['rewrite', 'insert', 'prefix']);
const FLAGS = new Set(['indirect', 'nocache', 'postonly', 'preserve', 'httponly', 'secure']);
const OPTIONS = "'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'preserve', 'httponly', 'secure', 'domain', 'maxidle', 'maxlife', 'dynamic' and 'attr'";

/**
 * `cookie <name> [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly] [secure]
 * [domain <d>]* [maxidle <t>] [maxlife <t>] [dynamic] [attr <v>]*` (defaults, backend, listen), `option persist`
 * and `dynamic-cookie-key <string>`. As in HAProxy 2.6, `maxidle`/`maxlife` outside insert mode and `dynamic` without
 * a key are accepted; Tandem adds a warning for the first (here) and the second (build-runtime-config.ts).
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
      const times: { maxidle?: number; maxlife?: number } = {};
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
          const v = args[++i];
          if (!v) return fail(`'${w}' expects <${w === 'maxidle' ? 'idletime' : 'lifetime'}> in seconds as argument.`);
          const t = parseCookieTimer(w, v);
          if (!t.ok) return fail(t.message);
          if (t.warning) kw.sink.warning(kw.file, kw.line, 'cookie', t.warning);
          times[w] = t.seconds;
        } else if (w === 'dynamic') flags.add(w);
        else return fail(`unknown option '${w}' (supported: ${OPTIONS})`);
      }
      if (flags.has('preserve') && mode !== 'insert' && !flags.has('indirect')) return fail("'preserve' requires at least 'insert' or 'indirect'");
      if ((times.maxidle || times.maxlife) && mode !== 'insert') {
        // HAProxy 2.6 accepts this silently: dates are then only read (and checked) in requests, never written.
        kw.sink.warning(kw.file, kw.line, 'cookie', "'maxidle' and 'maxlife' only work with 'insert' mode cookies: no date is ever set in other modes");
      }
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
        ...(times.maxidle ? { maxidle: times.maxidle } : {}),
        ...(times.maxlife ? { maxlife: times.maxlife } : {}),
        ...(flags.has('dynamic') ? { dynamic: true } : {}),
        source: { file: kw.file, line: kw.line },
      };
    },
  },
  {
    words: ['dynamic-cookie-key'],
    sections: 'dbl',
    handle(draft, kw, args) {
      if (!args[0]) return kw.sink.error(kw.file, kw.line, 'dynamic-cookie-key', "'dynamic-cookie-key' expects <secret_key> as argument.");
      draft.dynamicCookieKey = args[0];
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
