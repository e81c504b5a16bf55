/** Injection tokens of the daemon's composition root. */
export const DAEMON_SETTINGS = Symbol('DAEMON_SETTINGS');
export const LOGGER = Symbol('LOGGER');
