import type { LogTarget } from './runtime-config.types.js';

/** Which built-in format a proxy logs with, or its own `log-format` string. */
export type ProxyLogFormat = 'httplog' | 'httplog-clf' | 'tcplog' | { readonly custom: string };

/**
 * A frontend's logging, resolved at load time: `log global` is already replaced by the global section's targets,
 * so consumers never read the global section for it. No targets, or no format: no traffic logs.
 */
export interface ProxyLogConfig {
  readonly targets: readonly LogTarget[];
  readonly format?: ProxyLogFormat;
  /** `log-tag` of the proxy, else the global one. */
  readonly tag?: string;
  /** `option dontlognull`: connections that carried no request are not logged. */
  readonly dontLogNull: boolean;
  /** Global `log-send-hostname`: the syslog header's hostname ('' means the system's); absent sends none. */
  readonly sendHostname?: string;
}
