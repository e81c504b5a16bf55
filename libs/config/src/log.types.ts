import type { LogTarget } from './runtime-config.types.js';
import type { LogFormat, SampleExpr } from './policy-config.types.js';

/**
 * Which built-in format a proxy logs with, or its own `log-format` string; `samples` holds its `%[…]` expressions
 * parsed at load (absent when it has none), keyed by their text.
 */
export type ProxyLogFormat = 'httplog' | 'httplog-clf' | 'tcplog' | { readonly custom: string; readonly samples?: readonly LogFormatSample[] };

/** One `%[<fetch>[,<converters>]]` of a traffic-log format: its text between the brackets, and its parsed form. */
export interface LogFormatSample {
  readonly text: string;
  readonly expr: SampleExpr;
}

/**
 * A frontend's logging, resolved at load time: `log global` is already replaced by the global section's targets,
 * so consumers never read the global section for it. No targets, or no format: no traffic logs.
 */
export interface ProxyLogConfig {
  readonly targets: readonly LogTarget[];
  readonly format?: ProxyLogFormat;
  /** `log-tag` of the proxy, else the global one. */
  readonly tag?: string;
  /** `option dontlognull`: connections that carried no request are not logged. */
  readonly dontLogNull: boolean;
  /** Global `log-send-hostname`: the syslog header's hostname ('' means the system's); absent sends none. */
  readonly sendHostname?: string;
}

/** One capture slot of a frontend (`capture request|response header <name> len <n>`, or `http-request capture … len`). */
export interface CaptureSlot {
  /** The header captured (lower-cased); absent for a slot filled by a `capture` rule. */
  readonly header?: string;
  readonly len: number;
}

/**
 * A frontend's capture slots, numbered as HAProxy numbers them: declaration order within the frontend, request
 * headers and `http-request capture … len` rules sharing the request list. `%hr`/`%hs` print them all.
 */
export interface ProxyCaptures {
  readonly request: readonly CaptureSlot[];
  readonly response: readonly CaptureSlot[];
}

/** `unique-id-format <fmt>` and `unique-id-header <name>` of a frontend (the header only with a format, as HAProxy). */
export interface UniqueIdConfig {
  readonly format: LogFormat;
  readonly header?: string;
}
