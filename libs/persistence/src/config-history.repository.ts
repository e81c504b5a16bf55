import type { DataSource, Repository } from 'typeorm';
import { SystemClock, type Clock } from '@tandem/core';
import { ConfigRevisionEntity, type ConfigRevisionRow } from './entities/config-revision.entity.js';
import type { ConfigOutcome, ConfigRevisionInput, ConfigRevisionRecord, ConfigTrigger } from './persistence.types.js';

/**
 * The history of every configuration this node tried to apply. Append-only: a revision is never updated. Called on
 * start and on reload, never per connection.
 */
export class ConfigHistoryRepository {
  private readonly rows: Repository<ConfigRevisionRow>;

  constructor(dataSource: DataSource, private readonly clock: Clock = new SystemClock()) {
    this.rows = dataSource.getRepository(ConfigRevisionEntity);
  }

  /** Appends one revision in its own transaction; resolves once it is committed (durable, see README). */
  async record(revision: ConfigRevisionInput): Promise<ConfigRevisionRecord> {
    const row: Omit<ConfigRevisionRow, 'id'> = {
      sha256: revision.sha256,
      text: revision.text,
      applied_at: new Date(this.clock.wallTime()).toISOString(),
      outcome: revision.outcome,
      diagnostics: revision.diagnostics,
      trigger: revision.trigger,
      node: revision.node,
    };
    // insert() is one autocommit INSERT: no explicit transaction to interleave on the driver's single connection.
    const result = await this.rows.insert(row);
    const id = Number(result.identifiers[0]?.['id']);
    return toRecord({ ...row, id });
  }

  async get(id: number): Promise<ConfigRevisionRecord | undefined> {
    const row = await this.rows.findOneBy({ id });
    return row ? toRecord(row) : undefined;
  }

  /** The most recent attempt, applied or rejected. */
  async latest(): Promise<ConfigRevisionRecord | undefined> {
    const [row] = await this.rows.find({ order: { id: 'DESC' }, take: 1 });
    return row ? toRecord(row) : undefined;
  }

  /** The configuration the node last ran successfully; rejected attempts are ignored. */
  async latestApplied(): Promise<ConfigRevisionRecord | undefined> {
    const [row] = await this.rows.find({ where: { outcome: 'applied' }, order: { id: 'DESC' }, take: 1 });
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async list(limit = 50): Promise<ConfigRevisionRecord[]> {
    const rows = await this.rows.find({ order: { id: 'DESC' }, take: Math.max(0, Math.floor(limit)) });
    return rows.map(toRecord);
  }
}

function toRecord(row: ConfigRevisionRow): ConfigRevisionRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    text: row.text,
    appliedAt: row.applied_at,
    outcome: row.outcome as ConfigOutcome,
    diagnostics: row.diagnostics,
    trigger: row.trigger as ConfigTrigger,
    node: row.node,
  };
}
