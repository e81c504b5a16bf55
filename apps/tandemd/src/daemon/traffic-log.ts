import { hostname } from 'node:os';
import type { Logger } from '@tandem/core';
import type { LogTarget } from '@tandem/config';
import { createLogSender, senderKey, TrafficLogger, type LogSender, type LogSenderCounters } from '@tandem/logging';
import type { TrafficLogHook } from '@tandem/proxy';

/**
 * Wires the data plane's traffic-log hook to @tandem/logging: one sender per distinct target, kept across reloads
 * (a reload that keeps `log 127.0.0.1:514 local0` keeps its socket). The tag defaults to `haproxy`, so existing
 * rsyslog rules (`if $programname == 'haproxy'`) keep matching.
 */
export class TrafficLogService {
  private readonly senders = new Map<string, LogSender>();
  private readonly logger: TrafficLogger;

  constructor(log: Logger) {
    this.logger = new TrafficLogger({
      process: { pid: process.pid, hostname: hostname() },
      defaultTag: 'haproxy',
      sink: (target) => this.sender(target),
      onInvalid: (message) => log.log('warning', message),
    });
  }

  readonly hook: TrafficLogHook = (fe, record) => this.logger.log(fe, record);

  /** Sent, dropped and errored lines per target (for `show info` / the stats page later). */
  counters(): Record<string, LogSenderCounters> {
    return Object.fromEntries([...this.senders].map(([k, s]) => [k, s.counters()]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.close()));
    this.senders.clear();
  }

  private sender(target: LogTarget): LogSender {
    const key = senderKey(target);
    let s = this.senders.get(key);
    if (!s) this.senders.set(key, (s = createLogSender(target)));
    return s;
  }
}
