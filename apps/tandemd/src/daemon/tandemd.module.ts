import { Module, type DynamicModule } from '@nestjs/common';
import { loadHaproxyConfig } from '@tandem/config';
import { CommandRegistry } from '@tandem/control';
import { ConfigHistoryRepository, PersistenceModule } from '@tandem/persistence';
import { DataPlane } from '@tandem/proxy';
import type { Logger } from '@tandem/core';
import { ConfigApplier } from './config-applier.service.js';
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
        { provide: DataPlane, useFactory: (logger: Logger) => new DataPlane({ logger }), inject: [LOGGER] },
        { provide: CommandRegistry, useFactory: () => new CommandRegistry() },
        {
          provide: ConfigApplier,
          useFactory: (dataPlane: DataPlane, history: ConfigHistoryRepository, logger: Logger) =>
            new ConfigApplier({
              paths: settings.configPaths,
              load: (paths) => loadHaproxyConfig([...paths], { version: HAPROXY_COMPAT_VERSION }),
              target: dataPlane,
              recorder: history,
              logger,
              nodeName: settings.nodeName,
            }),
          inject: [DataPlane, ConfigHistoryRepository, LOGGER],
        },
      ],
      exports: [DataPlane, CommandRegistry, ConfigApplier],
    };
  }
}
