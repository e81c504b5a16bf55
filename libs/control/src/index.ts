export * from './control.types.js';
export * from './command-registry.js';
export * from './wire/command-line.codec.js';
export * from './io/control-server.js';
