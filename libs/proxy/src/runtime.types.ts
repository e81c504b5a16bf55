import type { Clock, Logger } from '@tandem/core';
import type { FrontendConfig, HttpConnectionMode } from '@tandem/config';
import type { BackendRuntime } from './backend/backend-runtime.js';
import type { TrafficCounters } from './counters.js';
import type { FrontendL7 } from './l7/policy-runtime.js';
import type { TcpL4Policy } from './l4/tcp-policy.js';
import type { ProxySocket } from './io/socket.types.js';
import type { FrontendTrafficLog } from './log/traffic-log.js';

/** A live client session as the data plane tracks it (for stop() and snapshot()). */
export interface Session {
  /** Destroy both sides now. */
  abort(): void;
  /** Finish the current request/response, then close (graceful stop). Idle sessions close at once. */
  drain(): void;
}

export interface SessionRegistry {
  add(session: Session): void;
  delete(session: Session): void;
}

/** A frontend at one config generation, resolved once at apply() time: no lookups per connection. */
export interface FrontendRuntime {
  readonly config: FrontendConfig;
  readonly backend: BackendRuntime | undefined;
  /** ACLs, HTTP rules and content switching (issue #6); undefined when no rule can apply. */
  readonly l7?: FrontendL7;
  /** `mode tcp`: content rules, content switching, use-server and stick rules (issue #6); undefined when none. */
  readonly l4?: TcpL4Policy;
  /** `tcp-request connection` rules (and TCP-mode `tcp-request content`): false rejects the connection at accept. */
  readonly acceptRules?: (client: ProxySocket) => boolean;
  readonly counters: TrafficCounters;
  /** tune.bufsize - tune.maxrewrite. */
  readonly maxHead: number;
  readonly connectionMode: HttpConnectionMode;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sessions: SessionRegistry;
  /** Present when the frontend logs traffic (`log` + a format): each transaction's record goes through it. */
  readonly trafficLog?: FrontendTrafficLog;
  /** Set by a graceful stop: keep-alive ends after the current response. */
  readonly draining: () => boolean;
}
