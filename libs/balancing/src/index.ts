export * from './balancing.types.js';
export { algorithmFor, createSelector, knownAlgorithms } from './registry.js';
export { candidates } from './rotation.js';
