import type { CommandRegistry } from '@tandem/control';
import type { ConfigApplier } from './config-applier.service.js';
import { TANDEM_VERSION } from './version.js';

export interface ProcessInfo {
  readonly nodeName: string;
  readonly startedAt: number;
  readonly connections: () => number;
  /** The process-wide limit, after `set maxconn global`; defaults to the config's. */
  readonly maxconn?: () => number;
  /** Totals over the frontends' counters (CumConns, CumReq, TotalBytesOut) and the number of listeners. */
  readonly totals?: () => { connections: number; requests: number; bytesOut: number; listeners: number };
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
    run: () => showInfo(applier, info),
  });
}

/**
 * `show info` in HAProxy 2.6's `Name: value` layout and field order, for the fields Tandem knows (one process,
 * one thread); Tandem's own fields (Frontends, Backends, ConfigSha256) come last.
 */
function showInfo(applier: ConfigApplier, info: ProcessInfo): string {
  const uptimeSec = Math.floor((Date.now() - info.startedAt) / 1000);
  const config = applier.running;
  const totals = info.totals?.() ?? { connections: 0, requests: 0, bytesOut: 0, listeners: 0 };
  const maxconn = info.maxconn?.() ?? config?.global.maxconn ?? 0;
  const d = Math.floor(uptimeSec / 86400);
  const h = Math.floor((uptimeSec % 86400) / 3600);
  const m = Math.floor((uptimeSec % 3600) / 60);
  const sec = uptimeSec % 60;
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  return [
    'Name: Tandem',
    `Version: ${TANDEM_VERSION}`,
    'Nbthread: 1',
    'Nbproc: 1',
    'Process_num: 1',
    `Pid: ${process.pid}`,
    `Uptime: ${d}d ${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`,
    `Uptime_sec: ${uptimeSec}`,
    `PoolAlloc_MB: ${rss}`,
    `Maxconn: ${maxconn}`,
    `Hard_maxconn: ${config?.global.maxconn ?? maxconn}`,
    `CurrConns: ${info.connections()}`,
    `CumConns: ${totals.connections}`,
    `CumReq: ${totals.requests}`,
    `node: ${info.nodeName}`,
    'Stopping: 0',
    `Listeners: ${totals.listeners}`,
    `TotalBytesOut: ${totals.bytesOut}`,
    `Start_time_sec: ${Math.floor(info.startedAt / 1000)}`,
    `Node: ${info.nodeName}`,
    `Frontends: ${config?.frontends.length ?? 0}`,
    `Backends: ${config?.backends.length ?? 0}`,
    `ConfigSha256: ${config ? config.sources.map((s) => s.sha256.slice(0, 12)).join(',') : ''}`,
    '',
  ].join('\n');
}
