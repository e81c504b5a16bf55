import type { BackendRuntime, ServerRuntime } from './backend/backend-runtime.js';
import type { ProxySocket } from './io/socket.types.js';
import type { FrontendRuntime } from './runtime.types.js';

/**
 * A read-only view of one live session for `show sess` and `shutdown session` (issue #5). The session classes
 * (l7/http-session.ts, l4/tcp-session.ts) only hold an id and a start time and hand their current fields here;
 * nothing in this file changes a session.
 */
export interface SessionView {
  /** Process-unique, never reused: what `show sess` prints as `0x<id>` and `shutdown session` takes. */
  readonly id: number;
  /** Wall-clock ms of the accept. */
  readonly startedAt: number;
  readonly client: ProxySocket;
  readonly frontend: FrontendRuntime;
  /** The backend of the current transaction (after `use_backend`), if one was chosen. */
  readonly backend: BackendRuntime | undefined;
  /** The server the session currently holds a slot on. */
  readonly server: ServerRuntime | undefined;
  /** The server-side socket, once connected. */
  readonly serverSocket: ProxySocket | undefined;
  /** Waiting in the backend queue for a slot. */
  readonly queued: boolean;
  /** HTTP: transactions started on this connection. */
  readonly requests: number;
  /** Retries of the current transaction. */
  readonly retries: number;
  /** HTTP: the request in progress. */
  readonly request?: { readonly method: string; readonly uri: string } | undefined;
}

/** A session that can describe itself; the data plane's sessions all do. */
export interface ViewableSession {
  describe(): SessionView;
  abort(): void;
}

let lastId = 0;

/** The next session id (HAProxy prints a stream's address; Tandem prints this id the same way, in hex). */
export function nextSessionId(): number {
  return ++lastId;
}

export function isViewable<T>(session: T): session is T & ViewableSession {
  return typeof (session as Partial<ViewableSession>).describe === 'function';
}
