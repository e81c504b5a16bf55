import { AclSyntaxError } from './acl-parse.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { SAMPLE_FETCHES } from './sample-fetches.js';
import { parseTime } from './units.js';
import type { AclTerm, Condition, TcpRequestRule } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { notImplementedMessage } from './not-implemented.js';
import { nearest } from './suggest.js';
import { parseTrack } from './stick-keywords.js';
import { parseTcpMoreAction, TCP_MORE_ACTIONS, type TcpRuleStage } from './tcp-request-actions.js';
import type { PolicyDraft } from './policy-draft.js';
import { guarded, policyOf, ruleBuilder } from './policy-draft.js';
/**
 * `tcp-request inspect-delay <time>` and `tcp-request session <action> [if|unless <cond>]` (configuration.txt 4.2),
 * and the load-time checks of L4 policy in `mode tcp` proxies (fetches that need HTTP, the inspect-delay warning).
 */
export const TCP_REQUEST_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['tcp-request', 'inspect-delay'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      guarded(kw, 'tcp-request inspect-delay', () => {
        const ms = args.length === 1 ? parseTime(args[0]!) : undefined;
        if (ms === undefined) throw new AclSyntaxError(`expects a positive delay in milliseconds (or with a unit: 5s), got '${args.join(' ')}'`);
        policyOf(draft).inspectDelay = ms;
      });
    },
  },
  {
    words: ['tcp-request', 'session'],
    sections: 'fl',
    handle(draft, kw, args) {
      guarded(kw, `tcp-request session ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError('expects an action (accept, reject, track-sc0, track-sc1, track-sc2)');
        const rule = parseTcpRule(draft, kw, args, 'session');
        (policyOf(draft).tcpSession ??= []).push(rule);
      });
    },
  },
];

/**
 * Fetches that read HTTP content. HAProxy 2.6 parses a TCP stream as HTTP when such a fetch runs there; Tandem's TCP
 * data plane does not, so their use in a `mode tcp` proxy is a load error rather than a condition that never holds.
 */
const HTTP_BASES = new Set(['path', 'url', 'query', 'method', 'hdr', 'hdr_cnt', 'cook', 'res.cook', 'cookie', 'url_param', 'res.hdr', 'res.hdr_cnt', 'status', 'base', 'url_port', 'req.ver']);
/** Fetches that read the request buffer (section 7.3.5): they wait for data only under `tcp-request inspect-delay`. */
const PAYLOAD_BASES = new Set(['req.len', 'req.payload', 'req.payload_lv', 'req.ssl_hello_type', 'req.ssl_sni', 'req.ssl_ver', 'wait_end']);

const baseOf = (fetch: string): string | undefined => SAMPLE_FETCHES.get(fetch)?.base;

/** Every fetch term a rule's condition reaches (named ACLs resolved through the proxy's table). */
function termsOf(p: PolicyDraft, cond: Condition | undefined): AclTerm[] {
  const out: AclTerm[] = [];
  for (const group of cond?.alternatives ?? []) {
    for (const t of group) {
      if (typeof t.acl === 'string') out.push(...(p.acls.get(t.acl)?.terms ?? []));
      else out.push(t.acl);
    }
  }
  return out;
}

type Sink = {
  error(file: string, line: number, keyword: string, message: string, suggestion?: string): void;
  warning(file: string, line: number, keyword: string, message: string): void;
};

/**
 * For each `mode tcp` proxy: an HTTP fetch in an ACL, a rule condition, a track-sc or stick key is an error naming its
 * line; `tcp-request content` rules that read the buffer without `tcp-request inspect-delay` get HAProxy's warning.
 */
export function checkTcpModeProxies(proxies: ReadonlyArray<{ readonly name: string; readonly kind: string; readonly mode?: string; readonly policy?: PolicyDraft }>, sink: Sink): void {
  for (const px of proxies) {
    const p = px.policy;
    if (px.kind === 'defaults' || !p || (px.mode ?? 'tcp') === 'http') continue;
    const type = px.kind === 'backend' ? 'backend' : px.kind === 'listen' ? 'proxy' : 'frontend';
    const needsHttp = (fetch: string, file: string, line: number, keyword: string) => {
      const b = baseOf(fetch);
      if (b !== undefined && HTTP_BASES.has(b)) sink.error(file, line, keyword, `fetch '${fetch}' requires HTTP mode: it cannot be used in ${type} '${px.name}', which is in 'mode tcp' (add 'mode http').`);
    };
    for (const acl of p.acls.values()) for (const t of acl.terms) needsHttp(t.fetch, t.source.file, t.source.line, 'acl');
    const rules: Array<[string, { readonly condition?: Condition; readonly source: { file: string; line: number } }]> = [
      ...p.tcpConnection.map((r): [string, typeof r] => ['tcp-request connection', r]),
      ...(p.tcpSession ?? []).map((r): [string, typeof r] => ['tcp-request session', r]),
      ...p.tcpContent.map((r): [string, typeof r] => ['tcp-request content', r]),
      ...p.useBackend.map((r): [string, typeof r] => ['use_backend', r]),
      ...(p.stickRules ?? []).map((r): [string, typeof r] => [`stick ${r.kind}`, r]),
      ...(p.useServer ?? []).map((r): [string, typeof r] => ['use-server', r]),
    ];
    for (const [keyword, r] of rules) {
      for (const t of r.condition?.alternatives.flat() ?? []) if (typeof t.acl !== 'string') needsHttp(t.acl.fetch, r.source.file, r.source.line, keyword);
    }
    for (const r of [...p.tcpConnection, ...(p.tcpSession ?? []), ...p.tcpContent]) if (r.action === 'track-sc') needsHttp(r.key.fetch, r.source.file, r.source.line, `track-sc${r.counter}`);
    for (const r of p.stickRules ?? []) needsHttp(r.key.fetch, r.source.file, r.source.line, `stick ${r.kind}`);
    // A payload fetch in a connection or session rule sees no data at all (HAProxy refuses them there).
    for (const [keyword, list] of [['tcp-request connection', p.tcpConnection], ['tcp-request session', p.tcpSession ?? []]] as const) {
      for (const r of list) {
        const bad = termsOf(p, r.condition).find((t) => PAYLOAD_BASES.has(baseOf(t.fetch) ?? ''));
        if (bad) sink.error(r.source.file, r.source.line, keyword, `acl '${bad.fetch}' will never match because it reads the request buffer, which is not available at this stage (use 'tcp-request content').`);
      }
    }
    if (!p.inspectDelay) {
      const first = p.tcpContent.find((r) => termsOf(p, r.condition).some((t) => PAYLOAD_BASES.has(baseOf(t.fetch) ?? '')) || (r.action === 'track-sc' && PAYLOAD_BASES.has(baseOf(r.key.fetch) ?? '')));
      if (first) {
        sink.warning(first.source.file, first.source.line, 'tcp-request content', `${type} '${px.name}' : some 'tcp-request content' rules explicitly depending on request contents without any 'tcp-request inspect-delay' setting. This means that these rules will randomly find their contents. This can be fixed by setting the tcp-request inspect-delay.`);
      }
    }
  }
}

/** `tcp-request connection|session|content <action> … [if|unless cond]` (tcp-request-actions.ts for the others). */
export function parseTcpRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[], stage: TcpRuleStage = 'content'): TcpRequestRule {
  const action = args[0] ?? '';
  const rest = args.slice(1);
  const done = ruleBuilder<TcpRequestRule>(draft, kw);
  const track = /^track-sc([012])$/.exec(action);
  if (track) {
    const { rule, rest: after } = parseTrack(draft, kw, Number(track[1]) as 0 | 1 | 2, rest);
    return done(rule, after);
  }
  if (action === 'accept' || action === 'reject') return done({ action }, rest);
  const more = parseTcpMoreAction(draft, kw, args, stage);
  if (more) return done(more.rule, more.rest);
  const later = ['expect-proxy', 'expect-netscaler-cip', 'set-mark', 'set-tos', 'do-resolve', 'use-service', 'switch-mode', 'send-spoe-group', 'set-log-level', 'set-nice', 'set-priority-class', 'set-priority-offset', 'attach-srv', 'set-bandwidth-limit', 'set-src-port', 'set-dst-port', 'set-var-fmt'];
  if (later.includes(action)) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(0)}`);
  const known = ['accept', 'reject', 'track-sc0', 'track-sc1', 'track-sc2', ...TCP_MORE_ACTIONS[stage]];
  throw new AclSyntaxError(`unknown action '${action}' (expects ${known.join(', ')})`, nearest(action, known));
}
