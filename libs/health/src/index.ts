export * from './health.types.js';
export * from './hysteresis.js';
export * from './http-expect.js';
export * from './httpchk-request.js';
export * from './transition-log.js';
