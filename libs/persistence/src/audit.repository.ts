import type { DataSource, Repository } from 'typeorm';
import { SystemClock, type Clock } from '@tandem/core';
import { AuditEventEntity, type AuditEventRow } from './entities/audit-event.entity.js';
import type { AuditEventInput, AuditEventRecord } from './persistence.types.js';

/** Append-only log of admin commands. */
export class AuditRepository {
  private readonly rows: Repository<AuditEventRow>;

  constructor(dataSource: DataSource, private readonly clock: Clock = new SystemClock()) {
    this.rows = dataSource.getRepository(AuditEventEntity);
  }

  async append(event: AuditEventInput): Promise<AuditEventRecord> {
    const row = { at: new Date(this.clock.wallTime()).toISOString(), actor: event.actor, command: event.command, result: event.result };
    const result = await this.rows.insert(row);
    return { id: Number(result.identifiers[0]?.['id']), ...event, at: row.at };
  }

  /** Newest first. */
  async list(limit = 100): Promise<AuditEventRecord[]> {
    const rows = await this.rows.find({ order: { id: 'DESC' }, take: Math.max(0, Math.floor(limit)) });
    return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, command: r.command, result: r.result }));
  }
}
