/**
 * The states of an `HttpSession` (l7/http-session.ts) and the constants its phase modules share
 * (http-request-head.ts, http-server-assign.ts, http-request-forward.ts, http-response-phase.ts). Separate so those
 * modules need nothing from http-session.ts at load time (they import its class as a type only). The enums are
 * `const`: tsc inlines their numbers, so a phase test costs what it cost when they lived in http-session.ts.
 */

/** Where the client side of the current transaction is. */
export const enum Phase {
  Head,
  Connecting,
  ReqBody,
  Wait,
  Tunnel,
  Closed,
}

/** Where the server's response of the current transaction is. */
export const enum RespPhase {
  Head,
  Body,
  Done,
}

/** The empty buffer every "nothing held" field points to (never written). */
export const EMPTY: Buffer<ArrayBufferLike> = Buffer.alloc(0);

/** Client bytes kept while a request is in flight before the client socket is paused. */
export const PENDING_LIMIT = 65536;
