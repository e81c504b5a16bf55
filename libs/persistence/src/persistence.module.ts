import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuditRepository } from './audit.repository.js';
import { ConfigHistoryRepository } from './config-history.repository.js';
import { RuntimeOverrideRepository } from './runtime-override.repository.js';
import { createStateDataSource } from './state-data-source.js';
import type { StateDataSourceOptions } from './persistence.types.js';

/** Injection token of the node's state DataSource (only libs/persistence should need it). */
export const STATE_DATA_SOURCE = 'tandem:persistence:state-data-source';

/**
 * Provides the state DataSource (a plain async factory provider, not @nestjs/typeorm: fewer moving parts under
 * Nest 12 ESM, no global DataSource registry) and the repositories. Destroys the DataSource on shutdown.
 */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(STATE_DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(options: StateDataSourceOptions = {}): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: STATE_DATA_SOURCE, useFactory: () => createStateDataSource(options) },
        { provide: ConfigHistoryRepository, useFactory: (ds: DataSource) => new ConfigHistoryRepository(ds), inject: [STATE_DATA_SOURCE] },
        { provide: RuntimeOverrideRepository, useFactory: (ds: DataSource) => new RuntimeOverrideRepository(ds), inject: [STATE_DATA_SOURCE] },
        { provide: AuditRepository, useFactory: (ds: DataSource) => new AuditRepository(ds), inject: [STATE_DATA_SOURCE] },
      ],
      exports: [STATE_DATA_SOURCE, ConfigHistoryRepository, RuntimeOverrideRepository, AuditRepository],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
