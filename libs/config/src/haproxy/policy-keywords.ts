import type { AclTerm, ProxyPolicy } from '../policy-config.types.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { AclSyntaxError, parseAclTerm } from './acl-parse.js';
import { nearest } from './suggest.js';
import { logFormatValue } from './http-actions.js';
import { policyOf, where, guarded, trailingCondition } from './policy-draft.js';
import { AFTER_RESPONSE_ACTIONS, parseAfterResponseRule, parseRedirect, parseRequestRule, parseResponseRule, REQUEST_ACTIONS, RESPONSE_ACTIONS } from './http-rule-keywords.js';
import { parseStickTable, parseStickRule } from './stick-keywords.js';
import { parseTcpRule } from './tcp-request-keywords.js';

/** The fetch written on an ACL line, without its implied match (`path_beg` → `path`), for the AND-form hint. */
function criterionWord(term: AclTerm): string {
  return term.fetch.replace(/_(beg|end|sub|reg|dir|dom|len|ip|cnt)$/, '').replace(/^req\./, '').replace(/[^a-z0-9_]/gi, '_');
}

export const POLICY_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['stick-table'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'stick-table', () => {
        const p = policyOf(draft);
        if (p.stickTable) throw new AclSyntaxError(`only one stick-table per proxy (the first is at ${p.stickTable.source.file}:${p.stickTable.source.line})`);
        p.stickTable = parseStickTable(draft.name, args, where(kw));
      });
    },
  },
  {
    words: ['stick'],
    sections: 'bl',
    handle(draft, kw, args) {
      const kind = args[0] ?? '';
      guarded(kw, `stick ${kind}`.trim(), () => {
        (policyOf(draft).stickRules ??= []).push(parseStickRule(draft, kw, args));
      });
    },
  },
  {
    words: ['use-server'],
    sections: 'bl',
    handle(draft, kw, args) {
      guarded(kw, 'use-server', () => {
        const server = args[0];
        if (!server || server === 'if' || server === 'unless') throw new AclSyntaxError('expects <server> [if|unless <condition>]');
        // HAProxy 2.6 reads the name as a log-format: one with `%[…]` names the server per request (an unknown name
        // ends the use-server rules); plain text is a server checked at load.
        const { value, format } = logFormatValue(server, kw.files);
        const condition = trailingCondition(draft, kw, args.slice(1));
        (policyOf(draft).useServer ??= []).push({ server: value, ...(format ? { format } : {}), ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
  {
    words: ['tcp-request', 'connection'],
    sections: 'fl',
    handle(draft, kw, args) {
      guarded(kw, `tcp-request connection ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError('expects an action (accept, reject, track-sc0, track-sc1, track-sc2)');
        policyOf(draft).tcpConnection.push(parseTcpRule(draft, kw, args, 'connection'));
      });
    },
  },
  {
    words: ['tcp-request', 'content'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `tcp-request content ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError('expects an action (accept, reject, track-sc0, track-sc1, track-sc2)');
        policyOf(draft).tcpContent.push(parseTcpRule(draft, kw, args));
      });
    },
  },
  {
    words: ['acl'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'acl', () => {
        const name = args[0];
        if (!name) throw new AclSyntaxError('expects <name> <criterion> [flags] [operator] <value>...');
        if (!/^[A-Za-z0-9_.:-]+$/.test(name)) throw new AclSyntaxError(`ACL name '${name}' contains invalid characters (letters, digits, '-', '_', '.', ':')`);
        const term = parseAclTerm(args.slice(1), where(kw), kw.files);
        const acls = policyOf(draft).acls;
        const existing = acls.get(name);
        if (!existing) {
          acls.set(name, { name, terms: [term] });
          return;
        }
        // HAProxy: declaring a name again adds an alternative (OR). When the criteria differ, that is rarely what
        // the author meant (the seed's block 06 reads it as an AND), so say so and show the AND form.
        const first = existing.terms[0]!;
        existing.terms.push(term);
        if (first.fetch !== term.fetch || first.match !== term.match) {
          const a = `${name}_${criterionWord(first)}`;
          const b = `${name}_${criterionWord(term)}` === a ? `${name}_2` : `${name}_${criterionWord(term)}`;
          kw.sink.warning(kw.file, kw.line, 'acl', `ACL '${name}' is declared again here with another criterion (first at ${first.source.file}:${first.source.line}); as in HAProxy, lines that repeat an ACL name are ORed, so '${name}' matches '${[first.fetch, ...first.values].join(' ')}' OR '${[term.fetch, ...term.values].join(' ')}'. For an AND, give each line its own name (acl ${a} …, acl ${b} …) and list both names in the condition: 'if ${a} ${b}'.`);
        }
      });
    },
  },
  {
    words: ['use_backend'],
    sections: 'fl',
    handle(draft, kw, args) {
      guarded(kw, 'use_backend', () => {
        const backend = args[0];
        if (!backend || backend === 'if' || backend === 'unless') throw new AclSyntaxError('expects <backend> [if|unless <condition>]');
        // A log-format name (`use_backend %[…]`) is evaluated per request; an unknown result uses default_backend.
        const { value, format } = logFormatValue(backend, kw.files);
        const condition = trailingCondition(draft, kw, args.slice(1));
        policyOf(draft).useBackend.push({ backend: value, ...(format ? { format } : {}), ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
  {
    words: ['http-request'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-request ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${REQUEST_ACTIONS.join(', ')})`);
        policyOf(draft).httpRequest.push(parseRequestRule(draft, kw, args));
      });
    },
  },
  {
    words: ['http-response'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-response ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${RESPONSE_ACTIONS.join(', ')})`);
        policyOf(draft).httpResponse.push(parseResponseRule(draft, kw, args));
      });
    },
  },
  {
    words: ['http-after-response'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-after-response ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${AFTER_RESPONSE_ACTIONS.join(', ')})`);
        (policyOf(draft).httpAfterResponse ??= []).push(parseAfterResponseRule(draft, kw, args));
      });
    },
  },
  {
    words: ['redirect'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'redirect', () => {
        const { redirect, rest } = parseRedirect(args, kw.files);
        const condition = trailingCondition(draft, kw, rest);
        policyOf(draft).redirects.push({ redirect, ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
];

/**
 * Cross-section checks of a frontend's policy: every `use_backend` names a backend of the same mode (HAProxy:
 * "unable to find required use_backend"). HTTP rules in a `mode tcp` frontend are refused rather than ignored.
 */
export function checkPolicies(
  fe: { readonly name: string; readonly mode: string; readonly policy?: ProxyPolicy },
  backends: ReadonlyMap<string, { readonly name: string; readonly mode: string }>,
  sink: { error(file: string, line: number, keyword: string, message: string, suggestion?: string): void },
): void {
  const p = fe.policy;
  if (!p) return;
  for (const rule of p.useBackend) {
    if (rule.format) continue; // resolved per request (an unknown name falls back to default_backend, as in HAProxy)
    const be = backends.get(rule.backend);
    if (!be) sink.error(rule.source.file, rule.source.line, 'use_backend', `Proxy '${fe.name}': unable to find required use_backend: '${rule.backend}'.`, nearest(rule.backend, backends.keys()));
    else if (be.mode !== fe.mode) sink.error(rule.source.file, rule.source.line, 'use_backend', `Proxy '${fe.name}' (mode ${fe.mode}) cannot use backend '${be.name}' (mode ${be.mode}).`);
  }
  if (fe.mode === 'tcp') {
    // L4 content switching runs in the TCP data plane (libs/proxy/src/l4); HTTP rules need HTTP mode.
    const http: Array<[string, { readonly file: string; readonly line: number } | undefined]> = [['http-request', p.httpRequest[0]?.source], ['http-response', p.httpResponse[0]?.source], ['http-after-response', p.httpAfterResponse?.[0]?.source], ['redirect', p.redirects[0]?.source]];
    for (const [keyword, at] of http) if (at) sink.error(at.file, at.line, keyword, `'${keyword}' rules require HTTP mode: proxy '${fe.name}' is in 'mode tcp' (add 'mode http').`);
  }
}
