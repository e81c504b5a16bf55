import type { HttpRequestRule, HttpResponseRule } from '../policy-config.types.js';
import { AclSyntaxError } from './acl-parse.js';
import { stickCounterActionName } from './stick-counter-actions.js';

/**
 * The `http-response` actions that share their syntax with the http-request ones (configuration.txt 4.2,
 * "http-response"): `allow`, `deny`, `return`, `redirect`, `track-sc0|1|2`, `sc-inc-gpc0|1(<n>)`, `sc-set-gpt0(<n>)`. They are parsed by
 * the http-request parser (one grammar, one set of error messages), then given their response meaning.
 */
export const RESPONSE_VERDICT_ACTIONS: readonly string[] = ['allow', 'deny', 'return', 'redirect', 'track-sc0', 'track-sc1', 'track-sc2', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0'];

/** HAProxy's default status of `http-response deny`: 502 Bad Gateway (http-request deny's is 403). */
export const RESPONSE_DENY_STATUS = 502;

/**
 * `words` (action first) as an http-response rule, or undefined when the action is not one of these.
 * `asRequest` parses the words with the http-request grammar (condition included).
 */
export function parseResponseVerdict(words: readonly string[], asRequest: (words: readonly string[]) => HttpRequestRule): HttpResponseRule | undefined {
  const action = stickCounterActionName(words[0]) ?? words[0] ?? '';
  if (!RESPONSE_VERDICT_ACTIONS.includes(action)) return undefined;
  // HAProxy (http_parse_redirect_rule with the response direction) accepts only `location` on responses: the
  // request's path is not at hand any more.
  if (action === 'redirect' && words[1] !== 'location') throw new AclSyntaxError(`response only supports redirect type 'location', got '${words[1] ?? ''}'`);
  // A deny without its own status answers 502: given first, so its reply options (`errorfiles`) see that status.
  const explicit = words[1] === 'deny_status' || words[1] === 'status';
  return asRequest(action === 'deny' && !explicit ? ['deny', 'deny_status', String(RESPONSE_DENY_STATUS), ...words.slice(1)] : words) as HttpResponseRule;
}
