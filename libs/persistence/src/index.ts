export * from './persistence.types.js';
export { createStateDataSource, stateDataSourceOptions, DEFAULT_STATE_DB_PATH } from './state-data-source.js';
export { ConfigHistoryRepository } from './config-history.repository.js';
export { RuntimeOverrideRepository } from './runtime-override.repository.js';
export { AuditRepository } from './audit.repository.js';
export { encodeConfigSources, decodeConfigSources, type ConfigSource } from './config-sources.js';
export { PersistenceModule, STATE_DATA_SOURCE } from './persistence.module.js';
export { unifiedLineDiff, diffConfigRevisions } from './config-diff.js';
