/**
 * The request-head phase of an `HttpSession` (l7/http-session.ts) and its routing: decode the head from the bytes
 * received so far, pre-scan the body bytes that came with it, run the L7 policy (http-request rules, use_backend),
 * pin the request (cookie persistence, use-server, stick rules), build the forwarded head, then hand over to server
 * selection. Separate from the session because it is one self-contained phase; a free function taking the session
 * (no wrapper object, no closure beyond the ones the policy needed before) keeps the per-request cost unchanged.
 */
import { effectiveConnectionMode } from '../backend/backend-runtime.js';
import { captureRequestError } from '../error-capture.js';
import { forwardForApplies } from './forwarded-for.js';
import { buildRequestHead } from './head-rewrite.js';
import { connectionViewBase, requestViewOn, routeRequest } from './policy-runtime.js';
import { txnInfo, withUniqueId } from './txn-runtime.js';
import { sendEarlyHints } from './early-hints.js';
import { countDeniedRequest } from './request-drops.js';
import { readRequestCookie } from './cookie-persistence.js';
import { persistRequest, serverRulesOf } from './stick-rules.js';
import { assignServer } from './http-server-assign.js';
import { EMPTY, Phase } from './http-session-phases.js';
import { ChunkedFramer } from './wire/chunked-framer.js';
import { decodeRequestHead } from './wire/request-head.codec.js';
import type { HttpSession } from './http-session.js';

/** Reads the next request head from `s.pending`; a complete one is routed, pinned and sent to server selection. */
export function parseHead(s: HttpSession): void {
  const v = decodeRequestHead(s.pending, 0, s.fe.maxHead);
  if (v.kind === 'incomplete') return;
  s.headDeadline = 0;
  if (v.kind === 'malformed') {
    s.fe.counters.malformed++;
    captureRequestError(s.fe, s.be, s.client, s.sessionId, s.pending, v.reason);
    s.fe.logger.log('debug', `${s.fe.config.name}: 400 from ${s.ip}: ${v.reason}`);
    s.sendErrorAndClose(400);
    return;
  }
  s.fe.counters.requests++;
  s.requests++;
  const req = v.value;
  s.req = req;
  s.tap?.request(req);
  const received = s.pending;
  let rest = received.subarray(v.bytes);
  s.pending = EMPTY;
  // Split what already arrived into body bytes and the next request's bytes; a bad chunk size is caught here,
  // before anything reaches a server.
  s.reqDone = false;
  s.reqFramer = undefined;
  let body: Buffer = EMPTY;
  const f = req.framing;
  if (f.kind === 'length') {
    const take = Math.min(f.length, rest.length);
    body = rest.subarray(0, take);
    s.reqRemaining = f.length - take;
    rest = rest.subarray(take);
    s.reqDone = s.reqRemaining === 0;
  } else if (f.kind === 'chunked') {
    s.reqFramer = new ChunkedFramer();
    const r = s.reqFramer.feed(rest);
    if (r.kind === 'malformed') {
      s.fe.counters.malformed++;
      // What the client sent (head and bad chunk), not `s.pending`, which was emptied above.
      captureRequestError(s.fe, s.be, s.client, s.sessionId, received, r.reason);
      s.sendErrorAndClose(400);
      return;
    }
    body = rest.subarray(0, r.consumed);
    rest = rest.subarray(r.consumed);
    s.reqDone = r.done;
  } else {
    s.reqDone = true;
  }
  s.pending = rest;
  let be = s.fe.backend;
  s.view = undefined;
  if (s.fe.l7) {
    // L7 policy (issue #6): http-request rules, use_backend, the backend's rules. May answer here.
    s.be = undefined;
    s.viewBase ??= connectionViewBase(s.client, s.ip, s.fe.l7, () => s.be, s.fe);
    const view = (s.view = requestViewOn(s.viewBase, req, () => txnInfo(s.fe, s.client, req, s.tap?.stamp(), () => s.be, () => s.srv?.server ?? s.assigned)));
    s.tap?.attach(view);
    const routed = withUniqueId(routeRequest(s.fe.l7, view, req, s.fe.config, be, s.reqDone ? body : undefined), view, s.fe.config);
    const hints = view.txn?.earlyHints;
    if (hints) sendEarlyHints(s.client, hints);
    be = routed.be;
    s.be = be;
    s.connMode = be === s.fe.backend ? s.fe.connectionMode : effectiveConnectionMode(s.fe.config.httpConnectionMode, be?.config.httpConnectionMode);
    if (routed.kind === 'answer') {
      if (routed.denied) countDeniedRequest(s.fe.counters, routed.be?.counters);
      if (routed.holdMs) {
        // `http-request tarpit`: hold the client (its own timeout does not apply), then answer.
        s.phase = Phase.Wait;
        s.client.pause();
        s.tarpitTimer = s.fe.clock.setTimeout(() => {
          s.tarpitTimer = undefined;
          if (s.phase !== Phase.Closed) s.sendError(routed.status, true, routed.bytes);
        }, routed.holdMs);
        return;
      }
      s.sendError(routed.status, !req.keepAlive || !s.reqDone, routed.bytes);
      return;
    }
    if (routed.req !== req) s.req = routed.req;
  }
  s.be = be;
  if (!be) {
    s.sendError(503, !req.keepAlive || !s.reqDone);
    return;
  }
  be.counters.requests++;
  s.pinned = undefined;
  if (be.config.cookie) {
    const c = readRequestCookie(be.config.cookie, be.config.persist === true, s.req!.headers, be.servers);
    ({ server: s.pinned, dates: s.cookieDates } = c);
    if (c.headers) s.req = { ...s.req!, headers: c.headers };
  }
  s.serverRules = s.view ? serverRulesOf(be) : undefined;
  s.stores = undefined;
  if (s.serverRules) ({ pinned: s.pinned, stores: s.stores } = persistRequest(s.serverRules, s.view!, s.req!.headers, be, s.fe.l7!.stick, s.pinned));
  const closeServer = s.connMode !== 'keep-alive';
  const xff = s.fe.config.forwardFor ?? be.config.forwardFor;
  s.outHead = buildRequestHead(s.req!, closeServer, forwardForApplies(xff, s.ip) ? xff : undefined, s.ip);
  s.outBody = body;
  s.resendable = s.reqDone;
  s.attempts = 0;
  s.tried.length = 0;
  s.lastServer = undefined;
  s.phase = Phase.Connecting;
  assignServer(s);
}
