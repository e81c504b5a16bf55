export * from './balancing.types.js';
