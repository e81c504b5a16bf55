import type { Logger } from '@tandem/core';

/** Everything the composition root needs, resolved from the command line and the environment. */
export interface DaemonSettings {
  readonly configPaths: readonly string[];
  readonly stateDb: string;
  readonly masterSocket: string;
  readonly nodeName: string;
  readonly logger: Logger;
}
