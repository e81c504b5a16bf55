import type { SampleExpr } from '@tandem/config';

/**
 * What the data plane hands to the logger at the end of an HTTP transaction or a TCP connection. Plain values,
 * filled on the data path without formatting; the formatter turns them into HAProxy's log line later.
 * Timers are milliseconds, -1 when the step was never reached (as HAProxy prints them).
 */
export interface TrafficLogRecord {
  readonly mode: 'http' | 'tcp';
  /** Wall-clock ms of the accept (`%t`, `%ms`). */
  readonly acceptDate: number;
  /** Wall-clock ms of the first byte of the request (`%tr`); the accept date for TCP. */
  readonly requestDate: number;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly frontendIp?: string;
  readonly frontendPort?: number;
  readonly frontend: string;
  /** The listener speaks TLS: `%ft` adds `~`. */
  readonly frontendTls: boolean;
  readonly backend?: string;
  readonly server?: string;
  readonly serverIp?: string;
  readonly serverPort?: number;
  /** Handshake, idle, request head, queue, connect, server response, active and total times (ms, -1: none). */
  readonly Th: number;
  readonly Ti: number;
  readonly TR: number;
  readonly Tw: number;
  readonly Tc: number;
  readonly Tr: number;
  readonly Ta: number;
  readonly Tt: number;
  /** HTTP status sent to the client, -1 when none. */
  readonly status: number;
  /** Bytes sent to the client (`%B`) and received from it (`%U`). */
  readonly bytesRead: number;
  readonly bytesUploaded: number;
  /** Two characters: who ended it and in which state (`--`, `CD`, `sH`, `SC`, `cR`...). */
  readonly termination: string;
  /** Process, frontend, backend and server concurrent connections when logged; retries (`+` when redispatched). */
  readonly actconn: number;
  readonly feconn: number;
  readonly beconn: number;
  readonly srvconn: number;
  readonly retries: number;
  readonly redispatched: boolean;
  readonly srvQueue: number;
  readonly beQueue: number;
  readonly method?: string;
  readonly uri?: string;
  /** `HTTP/1.1`. */
  readonly version?: string;
  /** Per-process request counter (`%rt`). */
  readonly requestCounter?: number;
  /** The transaction's unique ID (`unique-id-format`, `%ID`). */
  readonly uniqueId?: string;
  /** Captured values, one per slot of the frontend (`%hr`, `%hs`); absent when it declares no capture. */
  readonly requestCaptures?: readonly (string | undefined)[];
  readonly responseCaptures?: readonly (string | undefined)[];
  /**
   * `%[…]` of the format: the sample's text on this transaction (undefined: no value). Set by the data plane only
   * for a frontend whose format has `%[…]` (it evaluates on the transaction's view; this lib imports no policy).
   */
  readonly sample?: LogSampleReader;
}

/** Evaluates one `%[<fetch>[,<converters>]]` of a log-format on a logged transaction. */
export type LogSampleReader = (expr: SampleExpr) => string | undefined;

/** Process facts a log line may print (`%pid`, `%H`). */
export interface LogProcessInfo {
  readonly pid: number;
  readonly hostname: string;
}
