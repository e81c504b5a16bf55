/**
 * Every error Tandem raises on purpose carries a stable code, the subsystem it came from, and whether retrying the
 * same operation may help (pingora-error's idea). Callers branch on `code`, never on the message.
 */
export type ErrorSource = 'config' | 'proxy' | 'balancing' | 'health' | 'persistence' | 'control' | 'vrrp' | 'peers' | 'daemon';

export interface TandemErrorOptions {
  readonly retry?: boolean;
  readonly cause?: unknown;
}

export class TandemError extends Error {
  readonly code: string;
  readonly source: ErrorSource;
  readonly retry: boolean;

  constructor(code: string, source: ErrorSource, message: string, options: TandemErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TandemError';
    this.code = code;
    this.source = source;
    this.retry = options.retry ?? false;
  }
}

export function isTandemError(value: unknown): value is TandemError {
  return value instanceof TandemError;
}
