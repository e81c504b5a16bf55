/**
 * The response phase of an `HttpSession` (l7/http-session.ts): decode the server's response head (1xx forwarded,
 * 101 switches to a tunnel, stick stores, http-response rules, cookie persistence), then stream the body (head and
 * first body bytes in one write; Content-Length counted, chunked framed, or until close). The end of the
 * transaction (keep-alive or close) stays in the session. Separate because it is a self-contained phase; free
 * functions taking the session keep the per-chunk path a direct call (no wrapper, no closure, no extra buffer).
 */
import { captureResponseError } from '../error-capture.js';
import { buildResponseHead, buildResponseHeadText } from './head-rewrite.js';
import { applyResponseRules } from './policy-runtime.js';
import { applyResponseCookie, cookieTransaction } from './cookie-persistence.js';
import { persistResponse } from './stick-rules.js';
import { isResponseAnswer } from './response-verdict-runtime.js';
import { EMPTY, Phase, RespPhase } from './http-session-phases.js';
import { ChunkedFramer } from './wire/chunked-framer.js';
import { decodeResponseHead } from './wire/response-head.codec.js';
import type { HttpSession } from './http-session.js';

/** Decodes the response head from `s.respPending` (the server's bytes so far) and starts the response. */
export function parseResponseHead(s: HttpSession): void {
  for (;;) {
    const v = decodeResponseHead(s.respPending, 0, s.fe.maxHead, s.req!.method);
    if (v.kind === 'incomplete') return;
    const be = s.be!;
    if (v.kind === 'malformed') {
      be.counters.malformed++;
      captureResponseError(s.fe, be, s.srv?.server ?? s.assigned, s.client, s.sessionId, s.respPending, v.reason);
      s.fe.logger.log('debug', `${be.config.name}: bad response from server: ${v.reason}`);
      s.dropServer();
      s.sendError(502, true);
      return;
    }
    let resp = v.value;
    s.outHead = EMPTY;
    s.outBody = EMPTY;
    s.resendable = false;
    const rest = s.respPending.subarray(v.bytes);
    s.respPending = EMPTY;
    if (resp.status < 200 && resp.status !== 101) {
      // Interim response (100 Continue, 103): forward it and read the final one.
      s.writeClient(buildResponseHead(resp, s.req!, true, false));
      s.respPending = rest;
      if (rest.length === 0) return;
      continue;
    }
    if (s.serverRules && s.stores) persistResponse(s.serverRules, s.view!, resp.headers, s.stores, s.fe.l7!.stick, s.srv?.server ?? s.lastServer);
    const ruled = s.fe.l7 && s.view ? applyResponseRules(s.fe.l7, s.view, s.be, s.fe.config, resp) : resp;
    if (isResponseAnswer(ruled)) return s.replaceResponse(ruled);
    resp = ruled;
    if (be.config.cookie) applyResponseCookie(be.config.cookie, cookieTransaction(s.req!.method, s.srv?.server ?? s.lastServer, s.pinned, s.cookieDates), resp.headers);
    s.resp = resp;
    s.countStatus(resp.status, resp.headers);
    if (resp.status === 101) {
      if (!s.req!.upgrade) {
        s.dropServer();
        s.sendError(502, true);
        return;
      }
      s.respStarted = true;
      s.phase = Phase.Tunnel;
      s.writeClient(buildResponseHead(resp, s.req!, true, true));
      if (rest.length > 0) s.writeClient(rest);
      if (s.pending.length > 0) s.srv!.write(s.pending);
      s.pending = EMPTY;
      const t = s.view?.txn?.tunnelTimeout ?? s.fe.config.timeouts.tunnel ?? be.config.timeouts.tunnel;
      if (t) {
        s.client.setTimeout(t);
        s.srv!.socket.setTimeout(t);
      }
      s.client.resume();
      return;
    }
    s.keepClient = s.req!.keepAlive && s.connMode !== 'close' && resp.framing.kind !== 'close' && !s.draining && !s.fe.draining();
    s.respPhase = RespPhase.Body;
    s.respStarted = true;
    const f = resp.framing;
    const head = buildResponseHeadText(resp, s.req!, s.keepClient, false);
    if (f.kind === 'none') {
      s.writeClient(Buffer.from(head, 'latin1'));
      s.endResponse();
      return;
    }
    if (f.kind === 'length') s.respRemaining = f.length;
    else if (f.kind === 'chunked') s.respFramer = new ChunkedFramer();
    if (rest.length === 0) {
      s.writeClient(Buffer.from(head, 'latin1'));
      return;
    }
    // First body bytes go out with the head in one write.
    feedResponseBody(s, rest, head);
    return;
  }
}

/** `head`: the response head's text when these are the first body bytes (both go out in one write). */
export function feedResponseBody(s: HttpSession, chunk: Buffer, head?: string): void {
  const f = s.resp!.framing;
  let body = chunk;
  let done = false;
  if (f.kind === 'length') {
    const take = Math.min(s.respRemaining, chunk.length);
    body = take === chunk.length ? chunk : chunk.subarray(0, take);
    s.respRemaining -= take;
    done = s.respRemaining === 0;
  } else if (f.kind === 'chunked') {
    const r = s.respFramer!.feed(chunk);
    if (r.kind === 'malformed') {
      s.be!.counters.malformed++;
      captureResponseError(s.fe, s.be!, s.srv?.server ?? s.assigned, s.client, s.sessionId, chunk, r.reason);
      if (head !== undefined) s.writeClient(Buffer.from(head, 'latin1'));
      s.abort();
      return;
    }
    body = r.consumed === chunk.length ? chunk : chunk.subarray(0, r.consumed);
    done = r.done;
  }
  let out = body;
  if (head !== undefined) {
    // Head and first body bytes in one buffer: the head's text is written straight into it (latin1: one byte
    // per character), with no intermediate head Buffer and no concat.
    out = Buffer.allocUnsafe(head.length + body.length);
    out.write(head, 0, 'latin1');
    body.copy(out, head.length);
  }
  s.writeClient(out);
  if (done) s.endResponse();
}
