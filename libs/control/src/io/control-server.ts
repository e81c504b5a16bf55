import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { listenAddressKey, TandemError, type ListenAddress, type Logger } from '@tandem/core';
import type { AccessLevel } from '../control.types.js';
import type { CommandRegistry } from '../command-registry.js';
import { LineFramer, splitCommandLine } from '../wire/command-line.codec.js';

export interface ControlListenOptions {
  readonly address: ListenAddress;
  readonly level: AccessLevel;
  /** File mode of a UNIX socket, as `stats socket ... mode 660` gives it. */
  readonly mode?: number;
}

/**
 * One admin socket speaking HAProxy's CLI protocol: a client sends a line of `;`-separated commands; each command's
 * answer is followed by an empty line; the connection closes after the line unless the client typed `prompt`
 * (interactive mode, with a `> ` prompt, until `quit`).
 */
export class ControlServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly registry: CommandRegistry,
    private readonly options: ControlListenOptions,
    private readonly logger: Logger,
  ) {}

  get origin(): string {
    return listenAddressKey(this.options.address);
  }

  async listen(): Promise<void> {
    const address = this.options.address;
    // Half-open: a client that sends its line and shuts its side (`echo ... | socat`) still gets the whole answer.
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new TandemError('E_CONTROL_LISTEN', 'control', `cannot listen on ${this.origin}: ${error.message}`, { cause: error })));
      if (address.kind === 'unix') {
        removeStaleSocket(address.path);
        server.listen(address.path, () => resolve());
      } else if (address.kind === 'inet') {
        server.listen({ host: address.host === '*' ? undefined : address.host, port: address.port }, () => resolve());
      } else {
        server.listen({ fd: address.fd }, () => resolve());
      }
    });
    if (address.kind === 'unix' && this.options.mode !== undefined) chmodSync(address.path, this.options.mode);
    server.on('error', (error) => this.logger.log('err', `admin socket ${this.origin}: ${error.message}`));
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    const framer = new LineFramer();
    let interactive = false;
    let closed = false;
    let queue = Promise.resolve();
    const context = { level: this.options.level, origin: this.origin };
    const finish = (out: string) => {
      closed = true;
      socket.end(out);
    };

    // HAProxy's CLI (src/cli.c): each command's answer is followed by an empty line, then `> ` in interactive mode.
    // Without `prompt` the connection closes after the first line; `prompt` toggles interactive mode (it answers
    // the empty line and, when turning it on, the prompt); `quit` closes at once.
    const handleLine = async (line: string) => {
      const commands = splitCommandLine(line);
      let out = '';
      for (const words of commands) {
        if (words.length === 1 && words[0] === 'prompt') {
          interactive = !interactive;
          out += '\n';
          continue;
        }
        if (words.length === 1 && words[0] === 'quit') {
          finish(out);
          return;
        }
        out += (await this.registry.execute(words, context)) + '\n';
      }
      if (socket.destroyed) return;
      if (interactive) socket.write(out + '> ');
      else finish(out);
    };

    socket.on('data', (chunk: string) => {
      if (closed) return;
      const { lines, overflow } = framer.push(chunk);
      if (overflow) {
        finish('Command line too long.\n\n');
        return;
      }
      for (const line of lines) queue = queue.then(() => (closed || socket.destroyed ? undefined : handleLine(line)));
    });
    // The client shut its side: a last line without its newline is still a command; then the answer ends the
    // connection (an interactive client that leaves without `quit` is closed the same way).
    socket.on('end', () => {
      const rest = framer.rest();
      queue = queue.then(async () => {
        if (!closed && !socket.destroyed && rest.trim() !== '') await handleLine(rest);
        if (!closed && !socket.destroyed) finish('');
      });
    });
  }
}

function removeStaleSocket(path: string): void {
  if (existsSync(path) && lstatSync(path).isSocket()) unlinkSync(path);
}

/** Sends one command line to an admin socket and returns the whole answer (the connection closes after it). */
export async function sendControlCommand(address: ListenAddress, line: string, timeoutMs = 30_000): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket =
      address.kind === 'unix'
        ? connect(address.path)
        : address.kind === 'inet'
          ? connect({ host: address.host === '*' ? '127.0.0.1' : address.host, port: address.port })
          : undefined;
    if (!socket) {
      reject(new TandemError('E_CONTROL_ADDRESS', 'control', 'cannot connect to an fd@ address'));
      return;
    }
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${listenAddressKey(address)} within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(line.endsWith('\n') ? line : `${line}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (error) => reject(new TandemError('E_CONTROL_CONNECT', 'control', `${listenAddressKey(address)}: ${error.message}`, { cause: error, retry: true })));
    socket.on('close', () => resolve(answer));
  });
}
