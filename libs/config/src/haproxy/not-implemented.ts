/**
 * Keywords Tandem recognises but does not implement yet. Each is an error that names the issue implementing it,
 * never silently ignored. Lifting an entry is a one-line change once its issue lands.
 */
export const ISSUES = {
  3: 'backends: every balancing algorithm, health checks and server states',
  5: 'operations: admin socket, stats page, logging, runtime state',
  6: 'L7 policy: ACLs, HTTP rules, stick tables, cookies, rate limits, queues',
} as const;

export type IssueNumber = keyof typeof ISSUES;

/** Proxy-section keywords (first word, or first two words for `option x`, `http-check`...). */
export const NOT_IMPLEMENTED_PROXY_KEYWORDS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['http-check', 3], ['tcp-check', 3],
  ['option ssl-hello-chk', 3], ['option mysql-check', 3], ['option pgsql-check', 3], ['option redis-check', 3],
  ['option ldap-check', 3], ['option smtpchk', 3], ['external-check', 3], ['option external-check', 3],
  ['stats', 5], ['log', 5], ['option httplog', 5], ['option tcplog', 5], ['option dontlognull', 5],
  ['option log-separate-errors', 5], ['option logasap', 5], ['log-format', 5], ['log-format-sd', 5], ['log-tag', 5],
  ['error-log-format', 5], ['unique-id-format', 5], ['unique-id-header', 5], ['monitor-uri', 5], ['capture', 6],
  ['acl', 6], ['use_backend', 6], ['use-server', 6], ['http-request', 6], ['http-response', 6],
  ['http-after-response', 6], ['tcp-request', 6], ['tcp-response', 6], ['stick-table', 6], ['stick', 6],
  ['cookie', 6], ['redirect', 6], ['option persist', 6], ['minconn', 6], ['fullconn', 6], ['persist', 6],
  ['dynamic-cookie-key', 6], ['filter', 6], ['compression', 6], ['option http-use-proxy-header', 6],
]);

/** Server parameters that belong to a later issue. */
export const NOT_IMPLEMENTED_SERVER_PARAMS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['slowstart', 3], ['on-marked-up', 3], ['on-error', 3], ['check-ssl', 3],
  ['observe', 3], ['error-limit', 3], ['track', 3], ['check-send-proxy', 3], ['maxqueue', 6],
]);

/** Global keywords that belong to a later issue. */
export const NOT_IMPLEMENTED_GLOBAL_KEYWORDS: ReadonlyMap<string, IssueNumber> = new Map<string, IssueNumber>([
  ['spread-checks', 3], ['max-spread-checks', 3], ['log-send-hostname', 5], ['log-tag', 5],
  ['server-state-file', 5], ['server-state-base', 5],
]);

export function notImplementedMessage(issue: IssueNumber): string {
  return `is recognised but not implemented yet in Tandem (issue #${issue}: ${ISSUES[issue]})`;
}

/**
 * Balancing algorithms the data plane runs today. The parser knows every HAProxy algorithm; the others are refused
 * as not implemented (issue #3) rather than silently replaced by round robin.
 */
export const IMPLEMENTED_BALANCE_ALGORITHMS: ReadonlySet<string> = new Set(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random']);
