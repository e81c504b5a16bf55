/**
 * VRRP in the daemon: loads `-k <keepalived.conf>`, starts the VrrpHost (worker thread) fed by the DataPlane's
 * backend health, registers `show vrrp`, and handles reload and stop. The wiring between proxy and VRRP lives here,
 * in apps/tandemd (ARCHITECTURE rule 14).
 *
 * Reload (SIGHUP): the keepalived file is re-read all-or-nothing. An invalid file is reported (file:line) and the
 * running VRRP configuration is kept. A valid but different file is NOT applied to the running instances: VRRP
 * configuration changes need a restart for now (a warning says so); restarting the worker in place would drop
 * the VIPs for a moment.
 */
import type { Logger } from '@tandem/core';
import type { CommandRegistry } from '@tandem/control';
import type { DataPlane } from '@tandem/proxy';
import { registerVrrpCommands } from './vrrp-commands.js';
import { configFingerprint, loadVrrpConfig } from './vrrp-config.js';
import { VrrpHost } from './vrrp-host.js';

export interface VrrpRuntime {
  readonly ok: boolean;
  reload(): void;
  stop(): Promise<void>;
}

export async function startVrrp(path: string | undefined, registry: CommandRegistry, dataPlane: DataPlane, logger: Logger): Promise<VrrpRuntime> {
  if (!path) {
    registerVrrpCommands(registry, undefined);
    return { ok: true, reload: () => undefined, stop: async () => undefined };
  }
  const load = loadVrrpConfig(path);
  for (const m of load.messages) logger.log(load.ok ? 'warning' : 'alert', m);
  if (!load.ok || !load.config) {
    logger.log('alert', `Fatal errors found in keepalived configuration ${path}.`);
    return { ok: false, reload: () => undefined, stop: async () => undefined };
  }
  const running = configFingerprint(load.config);
  const host = new VrrpHost({
    config: load.config,
    logger,
    backendHealth: () => Object.fromEntries(dataPlane.runtimes().backends.map((b) => [b.config.name, b.hasServersInRotation])),
    // Listeners bound (a config without frontends has nothing to wait for).
    proxyReady: () => dataPlane.runtimes().frontends.length === 0 || dataPlane.listenerAddresses().length > 0,
  });
  try {
    await host.started();
  } catch (error) {
    logger.log('alert', `VRRP: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    await host.stop();
    return { ok: false, reload: () => undefined, stop: async () => undefined };
  }
  registerVrrpCommands(registry, host);
  return {
    ok: true,
    reload: () => {
      const next = loadVrrpConfig(path);
      if (!next.ok || !next.config) {
        for (const m of next.messages) logger.log('alert', m);
        logger.log('alert', `VRRP reload failed: ${path} has errors; the running VRRP configuration is kept.`);
      } else if (configFingerprint(next.config) !== running) {
        logger.log('warning', `VRRP: ${path} changed; VRRP configuration changes need a restart of tandemd (the running VRRP configuration is kept).`);
      }
    },
    stop: () => host.stop(),
  };
}
