import type { FrontendConfig } from '@tandem/config';
import type { ResponseVerdict } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import type { TrafficCounters } from '../counters.js';
import type { ResponseHead } from './wire/http-head.types.js';
import { HAPROXY_ERRORS } from './wire/error-responses.js';
import { builtinErrorPage, redirectResponse, replyResponse } from './wire/local-responses.js';

/**
 * The answer that replaces a server's response after `http-response deny|return|redirect` (HAProxy 2.6,
 * configuration.txt 4.2). The session sends it through the same local-reply path as http-request's answers
 * (sendError: errorfiles, http-after-response rules, connection handling); the server connection is closed, since
 * its body was not read. `bytes` undefined: the status's errorfile (or built-in page) is used.
 */
export interface ResponseAnswer {
  readonly kind: 'answer';
  readonly status: number;
  readonly bytes: Buffer | undefined;
  /** `deny`: counted as a denied response (HAProxy's denied_resp, the `dresp` stats column). */
  readonly denied: boolean;
}

export function responseAnswer(v: ResponseVerdict, fe: FrontendConfig, be: BackendRuntime | undefined): ResponseAnswer {
  switch (v.kind) {
    case 'deny': {
      if (v.reply) return { kind: 'answer', status: v.status, bytes: replyResponse(v.status, v.reply), denied: true };
      // An errorfile, or HAProxy's captured page (502, 503…), is what sendError writes when `bytes` is undefined.
      const own = fe.errorFiles.has(v.status) || be?.config.errorFiles.has(v.status) === true || HAPROXY_ERRORS.has(v.status);
      return { kind: 'answer', status: v.status, bytes: own ? undefined : builtinErrorPage(v.status), denied: true };
    }
    case 'redirect':
      return { kind: 'answer', status: v.status, bytes: redirectResponse(v.status, v.location, v.cookie), denied: false };
    case 'return':
      return { kind: 'answer', status: v.status, bytes: replyResponse(v.status, v), denied: false };
  }
}

export function isResponseAnswer(r: ResponseHead | ResponseAnswer): r is ResponseAnswer {
  return (r as ResponseAnswer).kind === 'answer';
}

/** HAProxy counts a denied response on the frontend, the backend and the server (http_process_res_common). */
export function countResponseAnswer(a: ResponseAnswer, ...counters: ReadonlyArray<TrafficCounters | undefined>): void {
  if (a.denied) for (const c of counters) if (c) c.deniedResponses++;
}
