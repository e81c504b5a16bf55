import type { Logger } from '@tandem/core';

/** Everything the composition root needs, resolved from the command line and the environment. */
export interface DaemonSettings {
  readonly configPaths: readonly string[];
  /** `-k <file>`: the keepalived.conf whose vrrp_instances run in the VRRP worker thread. */
  readonly keepalivedConfig?: string;
  readonly stateDb: string;
  readonly masterSocket: string;
  readonly nodeName: string;
  readonly logger: Logger;
}
