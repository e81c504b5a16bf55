import { DataSource } from 'typeorm';
import { TandemError } from '@tandem/core';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { ensureParentDirectory } from './io/state-directory.js';
import type { StateDataSourceOptions, SynchronousLevel } from './persistence.types.js';

export const DEFAULT_STATE_DB_PATH = '/var/lib/tandem/state.db';
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_SYNCHRONOUS: SynchronousLevel = 'FULL';

/**
 * Builds the DataSource options. The schema comes only from migrations: `synchronize` is always false and
 * `migrationsRun` always true (see README, "Migrations policy").
 */
export function stateDataSourceOptions(options: StateDataSourceOptions = {}) {
  return {
    type: 'sqlite' as const,
    database: options.path ?? DEFAULT_STATE_DB_PATH,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    dropSchema: false,
    enableWAL: true,
    busyTimeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    logging: false,
  };
}

/**
 * Opens (creating if needed) the node's state database, runs pending migrations, and sets the pragmas:
 * journal_mode=WAL, synchronous=FULL (or NORMAL), busy_timeout. TypeORM's sqlite driver uses one connection, so
 * pragmas set here hold for every later query. Returns an initialized DataSource; the caller destroys it.
 */
export async function createStateDataSource(options: StateDataSourceOptions = {}): Promise<DataSource> {
  const path = options.path ?? DEFAULT_STATE_DB_PATH;
  const synchronous = options.synchronous ?? DEFAULT_SYNCHRONOUS;
  try {
    await ensureParentDirectory(path);
  } catch (cause) {
    throw new TandemError('PERSISTENCE_DIRECTORY', 'persistence', `cannot create the directory of ${path}`, { cause });
  }
  const dataSource = new DataSource(stateDataSourceOptions({ ...options, path }));
  try {
    // enableWAL and busyTimeout are applied by the driver on connect, before the migrations run. synchronous is
    // SQLite's default FULL until set below, so migrations are at least as durable as the chosen level.
    await dataSource.initialize();
    await dataSource.query(`PRAGMA synchronous = ${synchronous}`);
    const [{ journal_mode: journal }] = (await dataSource.query('PRAGMA journal_mode')) as [{ journal_mode: string }];
    if (journal !== 'wal' && path !== ':memory:') {
      throw new TandemError('PERSISTENCE_NO_WAL', 'persistence', `${path}: journal_mode is ${journal}, expected wal`);
    }
    return dataSource;
  } catch (cause) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (cause instanceof TandemError) throw cause;
    throw new TandemError('PERSISTENCE_OPEN', 'persistence', `cannot open the state database ${path}: ${String(cause)}`, { cause, retry: true });
  }
}
