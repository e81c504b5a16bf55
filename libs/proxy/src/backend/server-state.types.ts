/** Administrative/operational state of a server, as HAProxy's `set server ... state` and health checks drive it. */
export type ServerAdminState = 'up' | 'down' | 'drain' | 'maint';
