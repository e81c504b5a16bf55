export * from './tandem-error.js';
export * from './clock.types.js';
export * from './system-clock.js';
export * from './logger.types.js';
export * from './endpoint.types.js';
export * from './manual-clock.js';
export * from './hash/hashes.js';
export * from './hash/xxh64.js';
