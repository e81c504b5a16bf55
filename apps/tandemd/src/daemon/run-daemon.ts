import 'reflect-metadata';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { Logger } from '@tandem/core';
import { CommandRegistry, ControlServer } from '@tandem/control';
import { DataPlane } from '@tandem/proxy';
import { AuditRepository, ConfigHistoryRepository } from '@tandem/persistence';
import { ConfigApplier } from './config-applier.service.js';
import type { DaemonSettings } from './daemon-settings.types.js';
import { registerMasterCommands } from './master-commands.js';
import { registerProxyCommands } from './proxy-commands.js';
import { RuntimeStateService } from './runtime-state.service.js';
import { registerStateCommands } from './state-commands.js';
import { openStatsSockets, type StatsSockets } from './stats-sockets.js';
import { notifyParent } from './process-supervision.js';
import { TandemdModule } from './tandemd.module.js';
import { TANDEM_VERSION } from './version.js';
import { startVrrp } from '../vrrp/vrrp-daemon.js';

export interface RunOptions {
  readonly settings: DaemonSettings;
  readonly pidFile?: string;
  /** Called once the daemon serves traffic (after the pidfile is written and the parent told). */
  readonly onReady?: () => void;
}

/**
 * Boots the daemon: the NestJS application context, the first configuration, the master CLI socket and the signal
 * handlers. Resolves with the process exit code when the daemon has stopped.
 *
 * Signals, as HAProxy: SIGTERM/SIGINT stop now (listeners and connections closed); SIGUSR1 stops gracefully
 * (listeners closed, in-flight work finishes); SIGHUP reloads (the running config is kept if the new one fails).
 */
export async function runDaemon({ settings, pidFile, onReady }: RunOptions): Promise<number> {
  const logger = settings.logger;
  const startedAt = Date.now();
  const app = await NestFactory.createApplicationContext(TandemdModule.forRoot(settings), { logger: false, abortOnError: false });
  const dataPlane = app.get(DataPlane);
  const applier = app.get(ConfigApplier);
  const registry = app.get(CommandRegistry);
  const runtimeState = app.get(RuntimeStateService);
  registry.setAuditSink(runtimeState.recordCommand);

  const first = await applier.applyFromDisk('start');
  if (!first.ok) {
    await dataPlane.stop('hard');
    await app.close();
    notifyParent({ tandemd: 'failed', code: 1 });
    return 1;
  }

  // `set maxconn global` (runtime only, as in HAProxy: a reload reads the config's value again).
  let globalMaxconn: number | undefined;
  const maxconn = { get: () => globalMaxconn ?? applier.running?.global.maxconn ?? 0, set: (n: number) => {
    globalMaxconn = n;
    dataPlane.setGlobalMaxconn(n);
  } };
  registerMasterCommands(registry, applier, {
    nodeName: settings.nodeName,
    startedAt,
    connections: () => dataPlane.snapshot().connections,
    maxconn: maxconn.get,
    totals: () => {
      const fes = dataPlane.runtimes().frontends;
      return {
        connections: fes.reduce((n, f) => n + f.counters.connections, 0),
        requests: fes.reduce((n, f) => n + f.counters.requests, 0),
        bytesOut: fes.reduce((n, f) => n + f.counters.bytesOut, 0),
        listeners: dataPlane.listenerAddresses().length,
      };
    },
  });
  registerProxyCommands(registry, dataPlane, { commit: runtimeState.commit, globalMaxconn: maxconn });
  // The stats page's drain/maint/ready run as admin-socket commands: stored, applied and audited the same way.
  dataPlane.setStatsPage({ nodeName: settings.nodeName, version: TANDEM_VERSION, action: (words, origin) => registry.execute(words, { level: 'admin', origin }) });
  registerStateCommands(registry, { audit: app.get(AuditRepository), history: app.get(ConfigHistoryRepository) });
  const vrrp = await startVrrp(settings.keepalivedConfig, registry, dataPlane, logger);
  if (!vrrp.ok) {
    await dataPlane.stop('hard');
    await app.close();
    notifyParent({ tandemd: 'failed', code: 1 });
    return 1;
  }
  let statsSockets: StatsSockets;
  try {
    statsSockets = await openStatsSockets(registry, applier.running?.global.statsSockets ?? [], logger);
  } catch (error) {
    logger.log('alert', `[ALERT]    (config) : ${error instanceof Error ? error.message : String(error)}`);
    await dataPlane.stop('hard');
    await app.close();
    notifyParent({ tandemd: 'failed', code: 1 });
    return 1;
  }
  mkdirSync(dirname(settings.masterSocket), { recursive: true });
  const masterCli = new ControlServer(registry, { address: { kind: 'unix', path: settings.masterSocket }, level: 'admin', mode: 0o600 }, logger);
  await masterCli.listen();
  if (pidFile) writePidFile(pidFile, logger);

  let stopping: Promise<number> | undefined;
  const stop = (mode: 'hard' | 'graceful', reason: string): Promise<number> => {
    if (stopping && mode === 'hard') {
      // SIGTERM during a graceful stop: abort what is still in flight; the graceful stop then completes.
      logger.log('notice', `${reason}: aborting the connections still in flight.`);
      void dataPlane.stop('hard');
    }
    stopping ??= (async () => {
      // VRRP first, make-before-break: a Master advertises priority 0 but keeps its VIPs until it hears the new
      // Master (whose GARPs have moved the clients by then), at most 3 × advert_int + skew, and only then removes
      // them. The data plane is untouched until this resolves, so requests still reaching this node meanwhile are
      // served; the listeners close only once the VIPs are gone.
      await vrrp.stop();
      // The data plane closes its listeners synchronously when stop() starts, so once this line is logged no new
      // connection is accepted. A graceful stop waits for in-flight work without limit, as HAProxy's soft-stop
      // does when no `hard-stop-after` is set; SIGTERM during it stops at once.
      const dataPlaneStopped = dataPlane.stop(mode, Number.POSITIVE_INFINITY);
      logger.log('notice', `${reason}: ${mode === 'hard' ? 'stopping' : 'stopping gracefully (listeners closed, in-flight work finishes)'}.`);
      await masterCli.close();
      await statsSockets.close();
      await dataPlaneStopped;
      await app.close();
      if (pidFile) removePidFile(pidFile);
      logger.log('notice', 'stopped.');
      return 0;
    })();
    return stopping;
  };

  return new Promise<number>((resolve) => {
    process.on('SIGTERM', () => void stop('hard', 'SIGTERM received').then(resolve));
    process.on('SIGINT', () => void stop('hard', 'SIGINT received').then(resolve));
    process.on('SIGUSR1', () => void stop('graceful', 'SIGUSR1 received').then(resolve));
    process.on('SIGHUP', () => {
      logger.log('notice', 'SIGHUP received: reloading the configuration.');
      void applier.applyFromDisk('reload-signal').then((outcome) => runtimeState.recordSignalReload('SIGHUP', outcome));
      vrrp.reload();
    });
    logger.log('notice', `tandemd ready (pid ${process.pid}); master CLI on ${settings.masterSocket}.`);
    notifyParent({ tandemd: 'ready' });
    onReady?.();
  });
}

function writePidFile(path: string, logger: Logger): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${process.pid}\n`);
  } catch (error) {
    logger.log('alert', `cannot write the pidfile ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function removePidFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to do.
  }
}
