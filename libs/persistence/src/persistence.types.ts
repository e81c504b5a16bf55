/** Public types of @tandem/persistence: plain data, never TypeORM entity classes. */

export type ConfigOutcome = 'applied' | 'rejected';
export type ConfigTrigger = 'start' | 'reload-signal' | 'reload-command';

/** What the config applier hands over after each attempt. */
export interface ConfigRevisionInput {
  /** SHA-256 (hex) of the whole configuration: every file, in order (see `encodeConfigSources`). */
  readonly sha256: string;
  /** The configuration text: by convention a JSON array of `{ file, sha256?, text }`, one element per file. */
  readonly text: string;
  readonly outcome: ConfigOutcome;
  /** Formatted diagnostics (errors when rejected, warnings when applied); '' when none. */
  readonly diagnostics: string;
  readonly trigger: ConfigTrigger;
  /** Name of the node that applied it. */
  readonly node: string;
}

export interface ConfigRevisionRecord extends ConfigRevisionInput {
  readonly id: number;
  /** ISO 8601, UTC, millisecond precision. */
  readonly appliedAt: string;
}

export type RuntimeOverrideKind = 'state' | 'weight' | 'addr' | 'maxconn';

export interface RuntimeOverrideInput {
  readonly backend: string;
  readonly server: string;
  readonly kind: RuntimeOverrideKind;
  readonly value: string;
  readonly actor: string;
}

export interface RuntimeOverrideRecord extends RuntimeOverrideInput {
  /** ISO 8601, UTC. */
  readonly updatedAt: string;
}

export interface AuditEventInput {
  /** Who issued the command: socket path / peer credentials / user. */
  readonly actor: string;
  readonly command: string;
  readonly result: string;
}

export interface AuditEventRecord extends AuditEventInput {
  readonly id: number;
  /** ISO 8601, UTC. */
  readonly at: string;
}

/**
 * `NORMAL`: in WAL mode a commit is durable against a process crash (kill -9) but the last commits may be lost on
 * power loss. `FULL`: the WAL is fsynced at every commit, durable against power loss too. Default: FULL.
 */
export type SynchronousLevel = 'NORMAL' | 'FULL';

export interface StateDataSourceOptions {
  /** SQLite file. Default `/var/lib/tandem/state.db`; the parent directory is created. */
  readonly path?: string;
  readonly synchronous?: SynchronousLevel;
  /** How long a writer waits for a lock held by another process (e.g. an operator's sqlite3 shell). Default 5000. */
  readonly busyTimeoutMs?: number;
}
