import type { CommandRegistry } from '@tandem/control';
import type { ConfigApplier } from './config-applier.service.js';
import { TANDEM_VERSION } from './version.js';

export interface ProcessInfo {
  readonly nodeName: string;
  readonly startedAt: number;
  readonly connections: () => number;
}

/**
 * The daemon's own commands on the master CLI socket. `reload` answers as HAProxy's master CLI does since 2.7:
 * `Success=1` or `Success=0`, then `--`, then the messages of the attempt.
 */
export function registerMasterCommands(registry: CommandRegistry, applier: ConfigApplier, info: ProcessInfo): void {
  registry.register({
    words: ['reload'],
    usage: 'reload                                  : reload the configuration (keeps it if the new one is invalid)',
    level: 'admin',
    mutates: true,
    run: async () => {
      const outcome = await applier.applyFromDisk('reload-command');
      return `Success=${outcome.ok ? 1 : 0}\n--\n${outcome.messages.map((m) => `${m}\n`).join('')}`;
    },
  });
  registry.register({
    words: ['show', 'version'],
    usage: 'show version                            : show the running version',
    level: 'user',
    run: () => `${TANDEM_VERSION}\n`,
  });
  registry.register({
    words: ['show', 'info'],
    usage: 'show info                               : report information about the running process',
    level: 'user',
    run: () => {
      const uptimeSec = Math.floor((Date.now() - info.startedAt) / 1000);
      const config = applier.running;
      return [
        'Name: Tandem',
        `Version: ${TANDEM_VERSION}`,
        `Pid: ${process.pid}`,
        `Uptime_sec: ${uptimeSec}`,
        `Node: ${info.nodeName}`,
        `Maxconn: ${config?.global.maxconn ?? 0}`,
        `CurrConns: ${info.connections()}`,
        `Frontends: ${config?.frontends.length ?? 0}`,
        `Backends: ${config?.backends.length ?? 0}`,
        `ConfigSha256: ${config ? config.sources.map((s) => s.sha256.slice(0, 12)).join(',') : ''}`,
        '',
      ].join('\n');
    },
  });
}
