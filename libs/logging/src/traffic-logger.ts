import type { FrontendConfig, LogTarget } from '@tandem/config';
import { formatString, samplesOf } from './default-formats.js';
import { parseLogFormat, renderLogFormat, type LogFormatNode } from './log-format.js';
import type { LogProcessInfo, TrafficLogRecord } from './log-record.types.js';
import { frameSyslog } from './syslog-frame.js';

/** The sending side as this file sees it (src/io/syslog-sender.ts implements it). */
export interface LineSink {
  send(line: Buffer): void;
}

export interface TrafficLoggerOptions {
  readonly process: LogProcessInfo;
  /** Told once per frontend config whose log-format cannot be parsed (that frontend then logs nothing). */
  readonly onInvalid?: (message: string) => void;
  /** `log-tag` when neither the proxy nor the global section sets one. */
  readonly defaultTag: string;
  /** The sender of a target (shared between frontends and generations by its caller). */
  readonly sink: (target: LogTarget) => LineSink;
}

interface Prepared {
  readonly nodes: readonly LogFormatNode[];
  readonly targets: readonly { readonly target: LogTarget; readonly sink: LineSink }[];
  readonly tag: string;
  readonly dontLogNull: boolean;
  readonly hostname?: string;
}

/**
 * Turns the data plane's records into framed lines for each of a frontend's targets. Formats are parsed once per
 * frontend config (a new generation brings new FrontendConfig objects), never per record.
 */
export class TrafficLogger {
  private readonly prepared = new WeakMap<FrontendConfig, Prepared | null>();

  constructor(private readonly options: TrafficLoggerOptions) {}

  /** Validates a frontend's format; returns the error text, or undefined when it can be logged. */
  check(fe: FrontendConfig): string | undefined {
    if (!fe.log?.format) return undefined;
    const parsed = parseLogFormat(formatString(fe.log.format), samplesOf(fe.log.format));
    return parsed.ok ? undefined : `frontend '${fe.name}': log-format: ${parsed.error}`;
  }

  log(fe: FrontendConfig, record: TrafficLogRecord): void {
    const p = this.prepare(fe);
    if (!p) return;
    // option dontlognull: a connection that carried no request (nothing received) is not logged.
    if (p.dontLogNull && record.bytesUploaded === 0) return;
    const message = renderLogFormat(p.nodes, record, { process: this.options.process });
    const header = { date: record.acceptDate, tag: p.tag, pid: this.options.process.pid, ...(p.hostname ? { hostname: p.hostname } : {}) };
    for (const { target, sink } of p.targets) {
      const line = frameSyslog(target, header, message);
      if (line) sink.send(line);
    }
  }

  private prepare(fe: FrontendConfig): Prepared | null {
    let p = this.prepared.get(fe);
    if (p !== undefined) return p;
    p = null;
    const log = fe.log;
    if (log?.format && log.targets.length > 0) {
      const parsed = parseLogFormat(formatString(log.format), samplesOf(log.format));
      if (parsed.ok) {
        p = {
          nodes: parsed.nodes,
          targets: log.targets.map((target) => ({ target, sink: this.options.sink(target) })),
          tag: log.tag ?? this.options.defaultTag,
          dontLogNull: log.dontLogNull,
          // log-send-hostname without an argument: the system's hostname.
          ...(log.sendHostname !== undefined ? { hostname: log.sendHostname || this.options.process.hostname } : {}),
        };
      } else this.options.onInvalid?.(`frontend '${fe.name}': log-format: ${parsed.error}; its traffic is not logged`);
    }
    this.prepared.set(fe, p);
    return p;
  }
}
