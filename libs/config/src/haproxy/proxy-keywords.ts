import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft, ProxyKind } from './proxy-draft.js';
import { parseInteger, parseTime } from './units.js';
import { parseBindLine } from './bind-params.js';
import { parseServerLine, parseServerParams } from './server-params.js';
import { IMPLEMENTED_BALANCE_ALGORITHMS, notImplementedMessage } from './not-implemented.js';
import { CHECK_KEYWORDS } from './check-keywords.js';
import { LOG_KEYWORDS } from './log-keywords.js';
import { POLICY_KEYWORDS } from './policy-keywords.js';
import { loadErrorMessage } from './errorfile-message.js';
import { applyErrorfiles } from './http-errors-section.js';
import { TCP_REQUEST_KEYWORDS } from './tcp-request-keywords.js';
import { COOKIE_KEYWORDS } from './cookie-keywords.js';
import { STATS_KEYWORDS } from './stats-keywords.js';
import { CAPTURE_KEYWORDS } from './capture-keywords.js';
import { balanceHashExpr } from './balance-hash.js';

/** Which sections accept a keyword, as HAProxy's doc marks them: d(efaults) f(rontend) b(ackend) l(isten). */
type Sections = string;

export interface ProxyKeyword {
  /** The keyword's words, e.g. ['timeout', 'client'] or ['option', 'forwardfor']. */
  readonly words: readonly string[];
  readonly sections: Sections;
  /** `no option x` is accepted for boolean options. */
  readonly negatable?: boolean;
  handle(draft: ProxyDraft, kw: KeywordLine, args: readonly string[], negated: boolean): void;
}

const SECTION_LETTER: Record<ProxyKind, string> = { defaults: 'd', frontend: 'f', backend: 'b', listen: 'l' };
export const sectionAllows = (sections: Sections, kind: ProxyKind) => sections.includes(SECTION_LETTER[kind]);

function keywordText(kw: KeywordLine, n: number): string {
  return kw.words.slice(0, n).join(' ');
}

function requireArgs(kw: KeywordLine, name: string, args: readonly string[], count: number, usage: string): boolean {
  if (args.length < count) {
    kw.sink.error(kw.file, kw.line, name, `expects ${usage}`);
    return false;
  }
  return true;
}

const TIMEOUTS: Array<[string, Sections]> = [
  ['client', 'dfl'], ['server', 'dbl'], ['connect', 'dbl'], ['http-request', 'dfbl'], ['http-keep-alive', 'dfbl'],
  ['client-fin', 'dfl'], ['server-fin', 'dbl'], ['tunnel', 'dbl'], ['queue', 'dbl'], ['check', 'dbl'],
  ['tarpit', 'dfbl'],
];

const timeoutKeywords: ProxyKeyword[] = TIMEOUTS.map(([name, sections]) => ({
  words: ['timeout', name],
  sections,
  handle(draft, kw, args) {
    const keyword = `timeout ${name}`;
    if (!requireArgs(kw, keyword, args, 1, 'a time value (for example 30s)')) return;
    const ms = parseTime(args[0]!);
    if (ms === undefined) kw.sink.error(kw.file, kw.line, keyword, `invalid time value '${args[0]}' (units: us, ms, s, m, h, d)`);
    else draft.timeouts.set(name, ms);
  },
}));

const CONNECTION_MODES = [
  ['http-keep-alive', 'keep-alive'],
  ['http-server-close', 'server-close'],
  ['httpclose', 'close'],
] as const;

export const PROXY_KEYWORDS: readonly ProxyKeyword[] = [
  {
    words: ['mode'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      if (args[0] === 'http' || args[0] === 'tcp') draft.mode = args[0];
      else if (args[0] === 'health' || args[0] === 'log' || args[0] === 'spop') kw.sink.error(kw.file, kw.line, 'mode', `mode '${args[0]}' is not supported by Tandem`);
      else kw.sink.error(kw.file, kw.line, 'mode', `expects 'http' or 'tcp', got '${args[0] ?? ''}'`);
    },
  },
  {
    words: ['bind'],
    sections: 'fl',
    handle(draft, kw, args) {
      const bind = parseBindLine(kw, args);
      if (bind) draft.binds.push(...bind);
      else draft.bindFailed = true;
    },
  },
  {
    words: ['default_backend'],
    sections: 'dfl',
    handle(draft, kw, args) {
      if (requireArgs(kw, 'default_backend', args, 1, 'a backend name')) draft.defaultBackend = args[0];
    },
  },
  {
    words: ['maxconn'],
    sections: 'dfl',
    handle(draft, kw, args) {
      const n = parseInteger(args[0] ?? '', 0, 10_000_000);
      if (n === undefined) kw.sink.error(kw.file, kw.line, 'maxconn', `expects a number of connections, got '${args[0] ?? ''}'`);
      else draft.maxconn = n;
    },
  },
  {
    words: ['fullconn'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const n = parseInteger(args[0] ?? '', 0, 10_000_000);
      if (n === undefined) kw.sink.error(kw.file, kw.line, 'fullconn', `expects a number of connections, got '${args[0] ?? ''}'`);
      else draft.fullconn = n;
    },
  },
  {
    words: ['retries'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const n = parseInteger(args[0] ?? '', 0, 1000);
      if (n === undefined) kw.sink.error(kw.file, kw.line, 'retries', `expects a number, got '${args[0] ?? ''}'`);
      else draft.retries = n;
    },
  },
  {
    words: ['option', 'redispatch'],
    sections: 'dbl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      draft.redispatch = !negated;
    },
  },
  {
    words: ['option', 'allbackups'],
    sections: 'dbl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      draft.allBackups = !negated;
    },
  },
  {
    words: ['option', 'forwardfor'],
    sections: 'dfbl',
    negatable: true,
    handle(draft, kw, args, negated) {
      if (negated) {
        draft.forwardFor = null;
        return;
      }
      let header = 'X-Forwarded-For';
      let except: string | undefined;
      let ifNone = false;
      for (let i = 0; i < args.length; i++) {
        if (args[i] === 'except' && args[i + 1]) except = args[++i];
        else if (args[i] === 'header' && args[i + 1]) header = args[++i]!;
        else if (args[i] === 'if-none') ifNone = true;
        else {
          kw.sink.error(kw.file, kw.line, 'option forwardfor', `unknown argument '${args[i]}' (expects: except <network>, header <name>, if-none)`);
          return;
        }
      }
      draft.forwardFor = { header, ifNone, ...(except ? { except } : {}) };
    },
  },
  ...CONNECTION_MODES.map(([option, mode]): ProxyKeyword => ({
    words: ['option', option],
    sections: 'dfbl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      draft.connectionMode = negated ? 'keep-alive' : mode;
    },
  })),
  {
    words: ['http-reuse'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const mode = args[0];
      if (mode === 'never' || mode === 'safe' || mode === 'aggressive' || mode === 'always') draft.httpReuse = mode;
      else kw.sink.error(kw.file, kw.line, 'http-reuse', `expects never, safe, aggressive or always, got '${mode ?? ''}'`);
    },
  },
  {
    words: ['errorfile'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      if (!requireArgs(kw, 'errorfile', args, 2, '<code> <file>')) return;
      const code = Number(args[0]);
      if (!ERRORFILE_CODES.has(code)) {
        kw.sink.error(kw.file, kw.line, 'errorfile', `status code '${args[0]}' cannot be customised (valid: ${[...ERRORFILE_CODES].join(' ')})`);
        return;
      }
      // HAProxy refuses a file that is no complete HTTP response (errorfile-message.ts).
      const content = loadErrorMessage(kw.files, args[1]!);
      if (typeof content === 'string') kw.sink.error(kw.file, kw.line, 'errorfile', content);
      else draft.errorFiles.set(code, content);
    },
  },
  {
    // `errorfiles <name> [<code> …]`: messages of an `http-errors` section (http-errors-section.ts).
    words: ['errorfiles'],
    sections: 'dfbl',
    handle: (draft, kw, args) => applyErrorfiles(draft, kw, args),
  },
  {
    words: ['balance'],
    sections: 'dbl',
    handle(draft, kw, args) {
      if (!requireArgs(kw, 'balance', args, 1, 'an algorithm (roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr(<name>), random)')) return;
      const m = /^([a-z_-]+)(?:\((.*)\))?$/.exec(args[0]!);
      const name = m?.[1] ?? args[0]!;
      if (!BALANCE_ALGORITHMS.includes(name)) {
        const suggestion = nearestAlgorithm(name);
        kw.sink.error(kw.file, kw.line, 'balance', `unknown balancing algorithm '${name}'`, suggestion);
        return;
      }
      if (!IMPLEMENTED_BALANCE_ALGORITHMS.has(name)) {
        kw.sink.error(kw.file, kw.line, `balance ${name}`, notImplementedMessage(0));
        return;
      }
      if (name === 'hash') {
        // `balance hash <expr>`: one sample expression (fetch and converters), evaluated per request and hashed.
        const expr = balanceHashExpr(kw, args.slice(1));
        if (expr) draft.balance = { algorithm: name, args: [args[1]!], expr };
        return;
      }
      const algorithmArgs = [...(m?.[2] !== undefined ? [m[2]] : []), ...args.slice(1)];
      if ((name === 'url_param' || name === 'hdr') && !algorithmArgs[0]) {
        kw.sink.error(kw.file, kw.line, `balance ${name}`, name === 'hdr' ? 'expects a header name: hdr(<name>)' : 'expects a parameter name: url_param <name>');
        return;
      }
      if (name === 'random' && algorithmArgs[0] !== undefined && !/^[1-9]\d*$/.test(algorithmArgs[0])) {
        kw.sink.error(kw.file, kw.line, 'balance random', `expects a number of draws: random(<draws>), got '${algorithmArgs[0]}'`);
        return;
      }
      draft.balance = { algorithm: name, args: algorithmArgs };
    },
  },
  {
    words: ['hash-type'],
    sections: 'dbl',
    handle(draft, kw, args) {
      if (args[0] !== 'map-based' && args[0] !== 'consistent') {
        kw.sink.error(kw.file, kw.line, 'hash-type', `expects 'map-based' or 'consistent', got '${args[0] ?? ''}'`);
        return;
      }
      draft.hashType = args[0];
      if (args[1] && args[1] !== 'sdbm') {
        kw.sink.error(kw.file, kw.line, `hash-type ${args[0]} ${args[1]}`, `${notImplementedMessage(0)}; Tandem hashes with sdbm, HAProxy's default`);
        return;
      }
      if (args[1]) draft.hashFunction = args[1];
    },
  },
  {
    words: ['hash-balance-factor'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const n = parseInteger(args[0] ?? '', 0, 65535);
      if (n === undefined || (n !== 0 && n < 100)) kw.sink.error(kw.file, kw.line, 'hash-balance-factor', `expects 0 or a percentage of at least 100, got '${args[0] ?? ''}'`);
      else draft.hashBalanceFactor = n;
    },
  },
  {
    words: ['server'],
    sections: 'bl',
    handle(draft, kw, args) {
      const server = parseServerLine(kw, args);
      if (!server) return;
      if (draft.servers.some((s) => s.name === server.name)) {
        kw.sink.error(kw.file, kw.line, 'server', `duplicate server name '${server.name}' in '${draft.name}'`);
        return;
      }
      draft.servers.push(server);
    },
  },
  {
    words: ['default-server'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const params = parseServerParams(kw, 'default-server', args);
      if (params) draft.defaultServer = { ...draft.defaultServer, ...params, check: { ...draft.defaultServer.check, ...params.check } };
    },
  },
  ...CHECK_KEYWORDS,
  ...LOG_KEYWORDS,
  ...CAPTURE_KEYWORDS,
  ...POLICY_KEYWORDS,
  ...TCP_REQUEST_KEYWORDS,
  ...COOKIE_KEYWORDS,
  ...STATS_KEYWORDS,
  { words: ['description'], sections: 'fbl', handle() {} },
  { words: ['id'], sections: 'fbl', handle() {} },
  {
    words: ['disabled'],
    sections: 'dfbl',
    handle(draft) {
      draft.disabled = true;
    },
  },
  {
    words: ['enabled'],
    sections: 'dfbl',
    handle(draft) {
      draft.disabled = false;
    },
  },
  ...timeoutKeywords,
];

export const ERRORFILE_CODES = new Set([200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504]);
export const BALANCE_ALGORITHMS = ['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random', 'rdp-cookie', 'hash'];

function nearestAlgorithm(name: string): string | undefined {
  // Imported lazily to keep this table file free of the suggestion logic's details.
  return suggestFrom(name, BALANCE_ALGORITHMS);
}

import { nearest as suggestFrom } from './suggest.js';

export { keywordText };
