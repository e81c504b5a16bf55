import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft, StatsDraft } from './proxy-draft.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { statsAdminCondition } from './policy-draft.js';
import { parseTime } from './units.js';

/**
 * The stats page keywords of a proxy section (configuration.txt 4.2, `stats *`), issue #5. As in HAProxy, any of
 * them enables the page. `stats admin` is not allowed in defaults (it needs the proxy's ACLs). Other `stats`
 * sub-keywords (`http-request`, `show-desc`, `show-modules`, `bind-process`) stay "not implemented" errors.
 */
function statsOf(draft: ProxyDraft): StatsDraft {
  return (draft.stats ??= { auth: [], scope: [] });
}

function oneArg(kw: KeywordLine, name: string, args: readonly string[], usage: string): string | undefined {
  if (args.length !== 1 || args[0] === '') {
    kw.sink.error(kw.file, kw.line, name, `expects ${usage}`);
    return undefined;
  }
  return args[0];
}

export const STATS_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['stats', 'enable'],
    sections: 'dfbl',
    handle(draft) {
      statsOf(draft);
    },
  },
  {
    words: ['stats', 'uri'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      const uri = oneArg(kw, 'stats uri', args, "a URI prefix, for example '/haproxy?stats'");
      if (uri !== undefined) statsOf(draft).uri = uri;
    },
  },
  {
    words: ['stats', 'realm'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      const realm = oneArg(kw, 'stats realm', args, "a realm name (escape spaces with '\\')");
      if (realm !== undefined) statsOf(draft).realm = realm;
    },
  },
  {
    words: ['stats', 'auth'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      const cred = oneArg(kw, 'stats auth', args, "'<user>:<password>'");
      if (cred === undefined) return;
      const colon = cred.indexOf(':');
      if (colon <= 0) {
        kw.sink.error(kw.file, kw.line, 'stats auth', "expects '<user>:<password>' (the colon is missing)");
        return;
      }
      statsOf(draft).auth.push({ user: cred.slice(0, colon), password: cred.slice(colon + 1) });
    },
  },
  {
    words: ['stats', 'refresh'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      const text = oneArg(kw, 'stats refresh', args, 'a delay, for example 5s');
      if (text === undefined) return;
      const ms = parseTime(text);
      if (ms === undefined) kw.sink.error(kw.file, kw.line, 'stats refresh', `invalid time value '${text}' (units: us, ms, s, m, h, d)`);
      else statsOf(draft).refreshMs = ms;
    },
  },
  {
    words: ['stats', 'show-node'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      if (args.length > 1) kw.sink.error(kw.file, kw.line, 'stats show-node', 'expects at most one node name');
      else statsOf(draft).showNode = args[0] ?? true;
    },
  },
  {
    words: ['stats', 'show-legends'],
    sections: 'dfbl',
    handle(draft) {
      statsOf(draft).showLegends = true;
    },
  },
  {
    words: ['stats', 'hide-version'],
    sections: 'dfbl',
    handle(draft) {
      statsOf(draft).hideVersion = true;
    },
  },
  {
    words: ['stats', 'admin'],
    sections: 'fbl',
    handle(draft, kw, args) {
      const cond = statsAdminCondition(draft, kw, args);
      if (cond) statsOf(draft).admin = cond;
    },
  },
  {
    words: ['stats', 'scope'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      const name = oneArg(kw, 'stats scope', args, "a proxy name ('.' for this proxy)");
      if (name !== undefined) statsOf(draft).scope.push(name);
    },
  },
];
