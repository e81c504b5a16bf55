/**
 * The L7 policy of a proxy while it is parsed, and the helpers every policy keyword shares: the draft, the
 * trailing `if|unless` condition, and turning an AclSyntaxError into a diagnostic on the keyword's line.
 */
import type { AclDefinition, AclTerm, Condition, HttpAfterResponseRule, HttpRequestRule, HttpResponseRule, ProxyPolicy, RedirectSpec, StickRule, StickTableConfig, TcpRequestRule, UseBackendRule, UseServerRule } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { AclSyntaxError, parseCondition } from './acl-parse.js';
import { checkStickRules, checkStickTables } from './stick-keywords.js';

/** The L7 policy of a proxy while it is parsed (frozen into a ProxyPolicy by buildRuntimeConfig). */
export interface PolicyDraft {
  acls: Map<string, { name: string; terms: AclTerm[] }>;
  httpRequest: HttpRequestRule[];
  httpResponse: HttpResponseRule[];
  httpAfterResponse?: HttpAfterResponseRule[];
  redirects: Array<{ redirect: RedirectSpec; condition?: Condition; source: { file: string; line: number } }>;
  useBackend: UseBackendRule[];
  tcpConnection: TcpRequestRule[];
  tcpContent: TcpRequestRule[];
  tcpSession?: TcpRequestRule[];
  inspectDelay?: number;
  stickTable?: StickTableConfig;
  /** `stick …` rules (tables checked, and given `server_id`, by checkStickRules). */
  stickRules?: StickRule[];
  /** `use-server` rules (servers checked by checkStickRules). */
  useServer?: UseServerRule[];
  /** track-sc rules whose table is checked once every proxy is known (checkStickTables). */
  tracks?: Array<{ table: string; explicit: boolean; source: { file: string; line: number } }>;
}

export function policyOf(draft: ProxyDraft): PolicyDraft {
  return (draft.policy ??= { acls: new Map(), httpRequest: [], httpResponse: [], redirects: [], useBackend: [], tcpConnection: [], tcpContent: [] });
}

export function freezePolicy(p: PolicyDraft): ProxyPolicy {
  const { tracks: _tracks, ...rest } = p;
  return { ...rest, acls: new Map<string, AclDefinition>([...p.acls].map(([k, v]) => [k, { name: v.name, terms: [...v.terms] }])) };
}

export const where = (kw: KeywordLine) => ({ file: kw.file, line: kw.line });

/** Runs a parse step; an AclSyntaxError becomes a diagnostic on the keyword's line. */
export function guarded(kw: KeywordLine, keyword: string, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof AclSyntaxError)) throw e;
    kw.sink.error(kw.file, kw.line, keyword, e.message, e.suggestion);
  }
}

/** `[if|unless …]` after an action's own arguments; anything else left over is an error. */
/** `stats admin if|unless <cond>`: a condition over the proxy's ACLs (the stats keywords use it). */
export function statsAdminCondition(draft: ProxyDraft, kw: KeywordLine, rest: readonly string[]): Condition | undefined {
  let cond: Condition | undefined;
  guarded(kw, 'stats admin', () => {
    if (rest.length === 0) throw new AclSyntaxError("expects 'if' or 'unless' followed by a condition");
    cond = trailingCondition(draft, kw, rest);
  });
  return cond;
}

export function trailingCondition(draft: ProxyDraft, kw: KeywordLine, rest: readonly string[]): Condition | undefined {
  if (rest.length === 0) return undefined;
  if (rest[0] !== 'if' && rest[0] !== 'unless') throw new AclSyntaxError(`unexpected '${rest[0]}' (expects 'if' or 'unless' and a condition)`);
  const acls = policyOf(draft).acls;
  return parseCondition(rest, where(kw), (name) => acls.has(name), kw.files);
}

/**
 * The usual end of a rule parser: the rule's own fields, then the trailing `if|unless` condition parsed from the
 * words left over, and the source line (one builder for http-request, http-response, http-after-response and
 * tcp-request rules).
 */
export function ruleBuilder<R>(draft: ProxyDraft, kw: KeywordLine): (rule: object, after: readonly string[]) => R {
  return (rule, after) => {
    const condition = trailingCondition(draft, kw, after);
    return { ...rule, ...(condition ? { condition } : {}), source: where(kw) } as R;
  };
}
