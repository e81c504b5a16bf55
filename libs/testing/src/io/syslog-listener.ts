import { createSocket, type Socket } from 'node:dgram';

/** A UDP syslog receiver on 127.0.0.1 (an ephemeral port) that keeps every datagram as a line. */
export interface SyslogListener {
  readonly socket: Socket;
  readonly port: number;
  readonly lines: string[];
  /** Waits (at most 5 s) until `n` lines arrived; returns the first `n` (fewer if they never came). */
  next(n: number): Promise<string[]>;
}

export async function syslogServer(): Promise<SyslogListener> {
  const socket = createSocket('udp4');
  const lines: string[] = [];
  socket.on('message', (m) => lines.push(m.toString()));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const next = async (n: number) => {
    for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    return lines.slice(0, n);
  };
  return { socket, port: socket.address().port, lines, next };
}
