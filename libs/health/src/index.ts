export * from './health.types.js';
export * from './hysteresis.js';
export * from './http-expect.js';
export * from './httpchk-request.js';
export * from './transition-log.js';
export * from './check-monitor.js';
export * from './io/checkers.js';
export * from './agent-reply.js';
