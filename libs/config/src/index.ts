export * from './runtime-config.types.js';
