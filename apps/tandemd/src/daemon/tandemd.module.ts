import { Module, type DynamicModule } from '@nestjs/common';
import { loadHaproxyConfig } from '@tandem/config';
import { CommandRegistry } from '@tandem/control';
import { AuditRepository, ConfigHistoryRepository, PersistenceModule, RuntimeOverrideRepository } from '@tandem/persistence';
import { DataPlane } from '@tandem/proxy';
import { TrafficLogService } from './traffic-log.js';
import type { Logger } from '@tandem/core';
import { ConfigApplier } from './config-applier.service.js';
import { RuntimeStateService } from './runtime-state.service.js';
import type { DaemonSettings } from './daemon-settings.types.js';
import { HAPROXY_COMPAT_VERSION } from './version.js';
import { DAEMON_SETTINGS, LOGGER } from './tokens.js';

/**
 * The composition root: wires the libs together and nothing else (no domain logic here). The data plane is a
 * plain object built once by a factory; NestJS never sits on the per-connection path (ARCHITECTURE rule 10).
 */
@Module({})
export class TandemdModule {
  static forRoot(settings: DaemonSettings): DynamicModule {
    return {
      module: TandemdModule,
      imports: [PersistenceModule.forRoot({ path: settings.stateDb })],
      providers: [
        { provide: DAEMON_SETTINGS, useValue: settings },
        { provide: LOGGER, useValue: settings.logger },
        { provide: TrafficLogService, useFactory: (logger: Logger) => new TrafficLogService(logger), inject: [LOGGER] },
        { provide: DataPlane, useFactory: (logger: Logger, traffic: TrafficLogService) => new DataPlane({ logger, trafficLog: traffic.hook }), inject: [LOGGER, TrafficLogService] },
        { provide: CommandRegistry, useFactory: () => new CommandRegistry() },
        {
          provide: RuntimeStateService,
          useFactory: (overrides: RuntimeOverrideRepository, audit: AuditRepository, logger: Logger) => new RuntimeStateService({ overrides, audit, logger }),
          inject: [RuntimeOverrideRepository, AuditRepository, LOGGER],
        },
        {
          provide: ConfigApplier,
          useFactory: (dataPlane: DataPlane, history: ConfigHistoryRepository, logger: Logger, runtimeState: RuntimeStateService) =>
            new ConfigApplier({
              paths: settings.configPaths,
              load: (paths) => loadHaproxyConfig([...paths], { version: HAPROXY_COMPAT_VERSION }),
              // Each generation gets the operator's stored overrides before it goes live.
              target: { apply: (config) => runtimeState.applyConfig(dataPlane, config) },
              recorder: history,
              logger,
              nodeName: settings.nodeName,
            }),
          inject: [DataPlane, ConfigHistoryRepository, LOGGER, RuntimeStateService],
        },
      ],
      exports: [DataPlane, CommandRegistry, ConfigApplier, RuntimeStateService],
    };
  }
}
