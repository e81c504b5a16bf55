/** What one check concluded, in HAProxy's vocabulary (the `reason` text appears in its log lines). */
export interface CheckResult {
  readonly ok: boolean;
  /** e.g. `Layer4 check passed`, `Layer4 connection problem`, `Layer4 timeout`, `Layer7 wrong status`. */
  readonly reason: string;
  /** HTTP status for Layer7 checks. */
  readonly code?: number;
  /** Short detail (status text, agent message), quoted in the log line. */
  readonly info?: string;
  readonly durationMs: number;
}

/**
 * A server's health as HAProxy keeps it: one counter from 0 to rise+fall-1. 0..rise-1 is DOWN (going up as it
 * climbs); rise..rise+fall-1 is UP (going down as it falls). include/haproxy/check-t.h.
 */
export interface Health {
  readonly counter: number;
  readonly rise: number;
  readonly fall: number;
}

export type HealthTransition = 'up' | 'down' | undefined;
