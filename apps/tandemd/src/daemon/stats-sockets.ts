import type { Logger } from '@tandem/core';
import type { StatsSocketConfig } from '@tandem/config';
import { ControlServer, type CommandRegistry } from '@tandem/control';

/** The `stats socket` lines of the global section, listening. */
export interface StatsSockets {
  close(): Promise<void>;
}

/**
 * Opens one admin socket per `stats socket <address> [level <l>] [mode <octal>]` line, all sharing the command
 * registry, each with its own level. As in HAProxy, a socket that cannot be opened is fatal at start: the ones
 * already opened are closed and the error (naming the config line) is thrown.
 *
 * Not done yet: a reload does not open, close or change stats sockets; the sockets of the first config stay.
 */
export async function openStatsSockets(registry: CommandRegistry, sockets: readonly StatsSocketConfig[], logger: Logger): Promise<StatsSockets> {
  const servers: ControlServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
  for (const socket of sockets) {
    const server = new ControlServer(registry, { address: socket.address, level: socket.level, ...(socket.mode !== undefined ? { mode: socket.mode } : {}) }, logger);
    try {
      await server.listen();
    } catch (error) {
      await close();
      throw new Error(`${socket.source.file}:${socket.source.line}: stats socket: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    servers.push(server);
    logger.log('info', `stats socket ${server.origin} (level ${socket.level}) listening.`);
  }
  return { close };
}
