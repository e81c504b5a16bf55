/**
 * Keywords Tandem recognises but does not implement yet. Each is an error that names the issue implementing it,
 * never silently ignored. Lifting an entry is a one-line change once its issue lands.
 */
export const ISSUES = {
  /**
   * HAProxy keywords that no open issue schedules. Issues #3 to #6 are resolved: what they left out is listed
   * here rather than naming a closed issue. A new issue that schedules a keyword adds its number here.
   */
  0: 'not scheduled yet; see the support table in README.md',
} as const;

export type IssueNumber = keyof typeof ISSUES;

/** Proxy-section keywords (first word, or first two words for `option x`, `http-check`...). */
export const NOT_IMPLEMENTED_PROXY_KEYWORDS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['http-check', 0], ['tcp-check', 0],
  ['option ssl-hello-chk', 0], ['option mysql-check', 0], ['option pgsql-check', 0], ['option redis-check', 0],
  ['option ldap-check', 0], ['option smtpchk', 0], ['external-check', 0], ['option external-check', 0],
  // The stats page keywords are implemented (stats-keywords.ts); these sub-keywords are not yet.
  ['stats http-request', 0], ['stats show-desc', 0], ['stats show-modules', 0], ['stats bind-process', 0], ['stats', 0],
  ['option log-separate-errors', 0], ['option logasap', 0], ['log-format-sd', 0],
  ['error-log-format', 0], ['monitor-uri', 0], ['capture cookie', 0],
  ['tcp-response', 0], ['persist', 0], ['filter', 0], ['compression', 0], ['option http-use-proxy-header', 0],
]);

/** Server parameters that belong to a later issue. */
export const NOT_IMPLEMENTED_SERVER_PARAMS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['on-marked-up', 0], ['on-error', 0],
  ['observe', 0], ['error-limit', 0], ['track', 0], ['check-send-proxy', 0],
]);

/** Global keywords that belong to a later issue. */
export const NOT_IMPLEMENTED_GLOBAL_KEYWORDS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['server-state-file', 0], ['server-state-base', 0],
]);

export function notImplementedMessage(issue: IssueNumber): string {
  if (issue === 0) return `is recognised but not implemented yet in Tandem (${ISSUES[0]})`;
  return `is recognised but not implemented yet in Tandem (issue #${issue}: ${ISSUES[issue]})`;
}

/**
 * Balancing algorithms the data plane runs today. The parser knows every HAProxy algorithm; the others are refused
 * as not implemented rather than silently replaced by round robin.
 */
export const IMPLEMENTED_BALANCE_ALGORITHMS: ReadonlySet<string> = new Set(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random', 'hash']);
