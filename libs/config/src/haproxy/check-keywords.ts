import type { KeywordLine } from './parse-context.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import type { TcpCheckRule } from '../runtime-config.types.js';
import { parseInteger } from './units.js';

/**
 * The health-check keywords of a proxy section: `option httpchk`, `option tcp-check`, `http-check send|expect`,
 * `tcp-check connect|send|send-binary|expect|comment`. Patterns and arguments are checked here, so a bad one is a
 * config error with its line; the health lib runs what this produces.
 */
export const CHECK_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['option', 'httpchk'],
    sections: 'dbl',
    handle(draft, kw, args) {
      if (args.length > 3) {
        kw.sink.error(kw.file, kw.line, 'option httpchk', `expects [<method>] <uri> [<version>], got ${args.length} words (write headers after the version with \\r\\n)`);
        return;
      }
      draft.healthCheck = { kind: 'http', httpchk: [...args], expect: draft.healthCheck?.expect, file: kw.file, line: kw.line };
    },
  },
  {
    words: ['option', 'tcp-check'],
    sections: 'dbl',
    handle(draft, kw) {
      draft.healthCheck = { kind: 'tcp', httpchk: [], file: kw.file, line: kw.line };
    },
  },
  {
    words: ['http-check', 'expect'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const problem = expectProblem(args, ['status', 'rstatus', 'string', 'rstring']);
      if (problem) {
        kw.sink.error(kw.file, kw.line, 'http-check expect', problem);
        return;
      }
      draft.healthCheck = { ...(draft.healthCheck ?? { kind: 'http', httpchk: [], file: kw.file, line: kw.line }), expect: [...args] };
    },
  },
  {
    words: ['http-check', 'send'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const headers: Array<[string, string]> = [];
      const send: { method?: string; uri?: string; version?: string; body?: string } = {};
      for (let i = 0; i < args.length; i++) {
        const word = args[i]!;
        const value = args[i + 1];
        const fail = (message: string) => kw.sink.error(kw.file, kw.line, 'http-check send', message);
        if (value === undefined) return fail(`'${word}' expects a value`);
        if (word === 'meth') send.method = value;
        else if (word === 'uri') send.uri = value;
        else if (word === 'ver') {
          if (!/^HTTP\/1\.[01]$/.test(value)) return fail(`'ver' expects HTTP/1.0 or HTTP/1.1, got '${value}'`);
          send.version = value;
        } else if (word === 'body') send.body = value;
        else if (word === 'hdr') {
          const headerValue = args[i + 2];
          if (headerValue === undefined) return fail(`'hdr' expects <name> <value>`);
          if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) return fail(`'hdr': invalid header name '${value}'`);
          headers.push([value, headerValue]);
          i++;
        } else if (['uri-lf', 'body-lf'].includes(word)) return fail(`'${word}' (log-format) is recognised but not implemented yet in Tandem (not scheduled yet; see the support table in README.md)`);
        else return fail(`unknown argument '${word}' (meth, uri, ver, hdr, body)`);
        i++;
      }
      draft.httpCheckSend = { ...send, headers };
    },
  },
  {
    words: ['tcp-check', 'connect'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const rule = parseConnect(kw, args);
      if (rule) draft.tcpCheckRules.push(rule);
    },
  },
  {
    words: ['tcp-check', 'send'],
    sections: 'dbl',
    handle(draft, kw, args) {
      if (args.length !== 1) return kw.sink.error(kw.file, kw.line, 'tcp-check send', `expects one string (escape spaces with '\\ ' and write \\r\\n for line ends), got ${args.length} words`);
      draft.tcpCheckRules.push({ kind: 'send', data: Buffer.from(args[0]!, 'latin1'), source: { file: kw.file, line: kw.line } });
    },
  },
  {
    words: ['tcp-check', 'send-binary'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const hex = args[0] ?? '';
      if (args.length !== 1 || !/^([0-9a-fA-F]{2})+$/.test(hex)) return kw.sink.error(kw.file, kw.line, 'tcp-check send-binary', `expects an even number of hexadecimal digits, got '${args.join(' ')}'`);
      draft.tcpCheckRules.push({ kind: 'send', data: Buffer.from(hex, 'hex'), source: { file: kw.file, line: kw.line } });
    },
  },
  {
    words: ['tcp-check', 'expect'],
    sections: 'dbl',
    handle(draft, kw, args) {
      const problem = expectProblem(args, ['string', 'rstring', 'binary']);
      if (problem) return kw.sink.error(kw.file, kw.line, 'tcp-check expect', problem);
      const negate = args[0] === '!';
      const [match, pattern] = negate ? args.slice(1) : args;
      draft.tcpCheckRules.push({ kind: 'expect', negate, match: match as 'string' | 'rstring' | 'binary', pattern: pattern!, source: { file: kw.file, line: kw.line } });
    },
  },
  { words: ['tcp-check', 'comment'], sections: 'dbl', handle() {} },
];

function parseConnect(kw: KeywordLine, args: readonly string[]): TcpCheckRule | undefined {
  let port: number | undefined;
  let ssl = false;
  let sni: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === 'port') {
      port = parseInteger(args[++i] ?? '', 1, 65535);
      if (port === undefined) return void kw.sink.error(kw.file, kw.line, 'tcp-check connect', `'port' expects a port number, got '${args[i] ?? ''}'`);
    } else if (word === 'ssl') ssl = true;
    else if (word === 'sni') {
      sni = args[++i];
      if (!sni) return void kw.sink.error(kw.file, kw.line, 'tcp-check connect', "'sni' expects a host name");
    } else if (word === 'linger' || word === 'comment') {
      if (word === 'comment') i++;
    } else return void kw.sink.error(kw.file, kw.line, 'tcp-check connect', `unsupported argument '${word}' (port, ssl, sni, linger, comment are supported)`);
  }
  return { kind: 'connect', ssl, ...(port !== undefined ? { port } : {}), ...(sni ? { sni } : {}), source: { file: kw.file, line: kw.line } };
}

/** `[!] <match> <pattern>`, for http-check and tcp-check expect. */
function expectProblem(args: readonly string[], matches: readonly string[]): string | undefined {
  const words = args[0] === '!' ? args.slice(1) : args;
  const [match, pattern, extra] = words;
  if (!match || pattern === undefined) return `expects [!] ${matches.join('|')} <pattern>`;
  if (extra !== undefined) return `unexpected '${extra}' after the pattern`;
  if (!matches.includes(match)) return `unknown match '${match}' (${matches.join(', ')})`;
  if (match === 'status' && !/^\d{3}(,\d{3})*$/.test(pattern)) return `invalid status list '${pattern}'`;
  if (match === 'binary' && !/^([0-9a-fA-F]{2})+$/.test(pattern)) return `invalid hexadecimal pattern '${pattern}'`;
  if (match === 'rstatus' || match === 'rstring') {
    try {
      new RegExp(pattern);
    } catch (error) {
      return `invalid regular expression '${pattern}': ${(error as Error).message}`;
    }
  }
  return undefined;
}
