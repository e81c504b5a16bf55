import { TandemError } from '@tandem/core';

/**
 * Every environment variable tandemd reads, read here once and validated at start (ARCHITECTURE rule 11).
 * Command-line options win over these.
 */
export interface DaemonEnvironment {
  /** TANDEM_STATE_DB: the SQLite state file. */
  readonly stateDb: string;
  /** TANDEM_RUN_DIR: where the master CLI socket lives by default. */
  readonly runDir: string;
  /** TANDEM_DEMO_PORT: the demo frontend's port. */
  readonly demoPort: number;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): DaemonEnvironment {
  const demoPort = Number(env.TANDEM_DEMO_PORT ?? '8080');
  if (!Number.isInteger(demoPort) || demoPort < 1 || demoPort > 65535) {
    throw new TandemError('E_ENV_INVALID', 'daemon', `TANDEM_DEMO_PORT must be a port number, got '${env.TANDEM_DEMO_PORT}'`);
  }
  return {
    stateDb: env.TANDEM_STATE_DB || '/var/lib/tandem/state.db',
    runDir: env.TANDEM_RUN_DIR || '/run/tandem',
    demoPort,
  };
}
