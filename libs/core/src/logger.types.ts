/** Syslog severities, in HAProxy's and keepalived's vocabulary (RFC 5424 numbering). */
export type LogLevel = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug';

export const LOG_LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = Object.freeze({
  emerg: 0,
  alert: 1,
  crit: 2,
  err: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
});

/** The logging port. Implementations must never block the caller (the data plane calls it). */
export interface Logger {
  log(level: LogLevel, message: string): void;
}

/** A logger that forwards to a function; handy for tests and for the daemon's stderr logger. */
export class FunctionLogger implements Logger {
  constructor(private readonly sink: (level: LogLevel, message: string) => void) {}

  log(level: LogLevel, message: string): void {
    this.sink(level, message);
  }
}

export const NULL_LOGGER: Logger = Object.freeze({ log: () => undefined });
