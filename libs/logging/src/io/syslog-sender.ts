import { createWriteStream, type WriteStream } from 'node:fs';
import { isIPv6 } from 'node:net';
import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';

/**
 * Where framed log lines go. `send` never blocks and never throws: a line that cannot go out now is dropped and
 * counted (README invariant: a slow or gone log target never slows the data plane).
 */
export interface LogSender {
  readonly key: string;
  send(line: Buffer): void;
  counters(): LogSenderCounters;
  close(): Promise<void>;
}

export interface LogSenderCounters {
  readonly sent: number;
  /** Dropped because the in-flight budget was full, the target errored, or it is unsupported. */
  readonly dropped: number;
  /** Send errors reported by the target (each is also a drop). */
  readonly errors: number;
}

export interface LogTargetAddress {
  readonly kind: 'stdout' | 'stderr' | 'udp' | 'unix';
  readonly address?: string;
  readonly port?: number;
}

/** How many datagrams may wait for the kernel at once, and how many bytes an output stream may hold. */
export const DEFAULT_IN_FLIGHT = 256;
export const DEFAULT_STREAM_BUDGET = 1024 * 1024;

export function senderKey(t: LogTargetAddress): string {
  return t.kind === 'udp' ? `udp:${t.address}:${t.port ?? 514}` : t.kind === 'unix' ? `unix:${t.address}` : t.kind;
}

export function createLogSender(t: LogTargetAddress, options: { inFlight?: number; streamBudget?: number } = {}): LogSender {
  if (t.kind === 'udp') return new UdpSender(senderKey(t), t.address ?? '127.0.0.1', t.port ?? 514, options.inFlight ?? DEFAULT_IN_FLIGHT);
  if (t.kind === 'stdout' || t.kind === 'stderr') return new StreamSender(t.kind, t.kind === 'stdout' ? 1 : 2, options.streamBudget ?? DEFAULT_STREAM_BUDGET);
  return new UnsupportedSender(senderKey(t));
}

/** UDP syslog through dgram-as-promised: fire and forget, with a bounded number of sends in flight. */
class UdpSender implements LogSender {
  private readonly socket: SocketAsPromised;
  private inFlight = 0;
  private sent = 0;
  private dropped = 0;
  private errors = 0;

  constructor(readonly key: string, private readonly host: string, private readonly port: number, private readonly budget: number) {
    this.socket = DgramAsPromised.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    // An ICMP error or a closed socket must never reach the process's uncaught handler.
    this.socket.socket.on('error', () => undefined);
    this.socket.unref();
  }

  send(line: Buffer): void {
    if (this.inFlight >= this.budget) {
      this.dropped++;
      return;
    }
    this.inFlight++;
    this.socket.send(line, 0, line.length, this.port, this.host).then(
      () => {
        this.inFlight--;
        this.sent++;
      },
      () => {
        this.inFlight--;
        this.errors++;
        this.dropped++;
      },
    );
  }

  counters(): LogSenderCounters {
    return { sent: this.sent, dropped: this.dropped, errors: this.errors };
  }

  async close(): Promise<void> {
    await this.socket.close().catch(() => undefined);
  }
}

/**
 * stdout/stderr through an fs stream on the descriptor: writes go through libuv's thread pool, so a full pipe
 * never blocks the event loop (process.stdout is synchronous for pipes on Linux). Over the byte budget: drop.
 */
class StreamSender implements LogSender {
  private readonly stream: WriteStream;
  private sent = 0;
  private dropped = 0;
  private errors = 0;
  private broken = false;

  constructor(readonly key: string, fd: number, private readonly budget: number) {
    this.stream = createWriteStream('', { fd, autoClose: false });
    this.stream.on('error', () => {
      this.errors++;
      this.broken = true;
    });
  }

  send(line: Buffer): void {
    if (this.broken || this.stream.writableLength + line.length > this.budget) {
      this.dropped++;
      return;
    }
    this.sent++;
    this.stream.write(line);
  }

  counters(): LogSenderCounters {
    return { sent: this.sent, dropped: this.dropped, errors: this.errors };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** UNIX datagram sockets (`/dev/log`): Node.js has no AF_UNIX SOCK_DGRAM; lines are dropped and counted. */
class UnsupportedSender implements LogSender {
  private dropped = 0;
  constructor(readonly key: string) {}
  send(): void {
    this.dropped++;
  }
  counters(): LogSenderCounters {
    return { sent: 0, dropped: this.dropped, errors: 0 };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
