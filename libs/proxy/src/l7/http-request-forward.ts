/**
 * Forwarding of the request of an `HttpSession` (l7/http-session.ts) once it has a server connection: one write of
 * the rewritten head + the body bytes that came with it, then the rest of the body as it arrives (Content-Length
 * counted, chunked framed), with backpressure. Separate from the session because it is a self-contained phase;
 * free functions taking the session keep the per-chunk path a direct call (no wrapper, no closure).
 */
import { captureRequestError } from '../error-capture.js';
import type { ServerConnection } from './server-connection.js';
import { EMPTY, PENDING_LIMIT, Phase, RespPhase } from './http-session-phases.js';
import type { HttpSession } from './http-session.js';

/** Makes `conn` the server side of the current request and sends the request (head + body held so far) on it. */
export function useConnection(s: HttpSession, conn: ServerConnection): void {
  s.tap?.connected(conn.server);
  conn.owner = s;
  conn.uses++;
  s.srv = conn;
  s.respPhase = RespPhase.Head;
  s.respPending = EMPTY;
  s.respStarted = false;
  s.resp = undefined;
  const head = s.outHead;
  const body = s.outBody;
  conn.write(body.length > 0 ? Buffer.concat([head, body], head.length + body.length) : head);
  if (!s.resendable) {
    s.outHead = EMPTY;
    s.outBody = EMPTY;
  }
  if (s.reqDone) {
    s.phase = Phase.Wait;
  } else {
    s.phase = Phase.ReqBody;
    const more = s.pending;
    s.pending = EMPTY;
    if (more.length > 0) feedRequestBody(s, more);
    if (s.phase === Phase.ReqBody && s.client.isPaused()) s.client.resume();
  }
}

/** Request body bytes from the client: forwarded up to the body's end; bytes after it are the next request's. */
export function feedRequestBody(s: HttpSession, chunk: Buffer): void {
  let body = chunk;
  let rest: Buffer = EMPTY;
  if (s.reqFramer) {
    const r = s.reqFramer.feed(chunk);
    if (r.kind === 'malformed') {
      s.fe.counters.malformed++;
      captureRequestError(s.fe, s.be, s.client, s.sessionId, chunk, r.reason);
      s.dropServer();
      if (s.respStarted) s.abort();
      else s.sendErrorAndClose(400);
      return;
    }
    body = chunk.subarray(0, r.consumed);
    rest = chunk.subarray(r.consumed);
    s.reqDone = r.done;
  } else {
    const take = Math.min(s.reqRemaining, chunk.length);
    body = chunk.subarray(0, take);
    rest = chunk.subarray(take);
    s.reqRemaining -= take;
    s.reqDone = s.reqRemaining === 0;
  }
  if (body.length > 0 && s.srv && !s.srv.write(body)) s.client.pause();
  if (s.reqDone) {
    s.phase = s.respPhase === RespPhase.Done ? s.phase : Phase.Wait;
    if (rest.length > 0) s.pending = rest;
    if (s.pending.length >= PENDING_LIMIT) s.client.pause();
    if (s.respPhase === RespPhase.Done) s.finishTransaction();
  }
}
