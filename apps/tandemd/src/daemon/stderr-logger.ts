import type { Logger, LogLevel } from '@tandem/core';

const LABEL: Readonly<Record<LogLevel, string>> = {
  emerg: 'EMERG',
  alert: 'ALERT',
  crit: 'CRIT',
  err: 'ALERT',
  warning: 'WARNING',
  notice: 'NOTICE',
  info: 'NOTICE',
  debug: 'DEBUG',
};

/**
 * The daemon's own messages on stderr, in HAProxy's startup-message shape: `[NOTICE]   (1234) : message`.
 * `debug` lines appear only with `-d`; `-q` keeps only warnings and worse.
 */
export class StderrLogger implements Logger {
  private detached = false;

  constructor(private readonly options: { debug: boolean; quiet: boolean }) {}

  /**
   * Called once a `-D` daemon has detached: its stderr was a pipe to the parent that is gone, so writing there
   * would fail. Messages go to syslog once logging lands (issue #5); until then a detached daemon is silent.
   */
  detach(): void {
    this.detached = true;
    process.stderr.on('error', () => undefined);
  }

  log(level: LogLevel, message: string): void {
    if (this.detached) return;
    if (level === 'debug' && !this.options.debug) return;
    if (this.options.quiet && (level === 'info' || level === 'notice' || level === 'debug')) return;
    process.stderr.write(`[${LABEL[level]}] ${' '.repeat(Math.max(0, 7 - LABEL[level].length))}(${process.pid}) : ${message}\n`);
  }
}
