import type { Clock, Logger } from '@tandem/core';
import type { FrontendConfig, HttpConnectionMode } from '@tandem/config';
import type { BackendRuntime } from './backend/backend-runtime.js';
import type { TrafficCounters } from './counters.js';

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
  readonly counters: TrafficCounters;
  /** tune.bufsize - tune.maxrewrite. */
  readonly maxHead: number;
  readonly connectionMode: HttpConnectionMode;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sessions: SessionRegistry;
  /** Set by a graceful stop: keep-alive ends after the current response. */
  readonly draining: () => boolean;
}
