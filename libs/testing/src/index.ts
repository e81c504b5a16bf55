export * from './io/tandemd-process.js';
export * from './io/free-port.js';
export * from './io/stub-backends.js';
export * from './io/raw-http.js';
export * from './io/raw-stub-http-backend.js';
export * from './wait-until.js';
export * from './io/netns.js';
export * from './io/scenario.js';
