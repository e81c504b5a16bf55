import type { DataSource, Repository } from 'typeorm';
import { SystemClock, type Clock } from '@tandem/core';
import { RuntimeOverrideEntity, type RuntimeOverrideRow } from './entities/runtime-override.entity.js';
import type { RuntimeOverrideInput, RuntimeOverrideKind, RuntimeOverrideRecord } from './persistence.types.js';

/**
 * Runtime changes an operator made through the admin socket, so they survive a restart. At most one value per
 * (backend, server, kind): a new value replaces the old one.
 */
export class RuntimeOverrideRepository {
  private readonly rows: Repository<RuntimeOverrideRow>;

  constructor(dataSource: DataSource, private readonly clock: Clock = new SystemClock()) {
    this.rows = dataSource.getRepository(RuntimeOverrideEntity);
  }

  async upsert(override: RuntimeOverrideInput): Promise<RuntimeOverrideRecord> {
    const row = {
      backend: override.backend,
      server: override.server,
      kind: override.kind,
      value: override.value,
      actor: override.actor,
      updated_at: new Date(this.clock.wallTime()).toISOString(),
    };
    // One INSERT ... ON CONFLICT ("backend","server","kind") DO UPDATE statement.
    await this.rows.upsert(row, { conflictPaths: ['backend', 'server', 'kind'], skipUpdateIfNoValuesChanged: false });
    return toRecord(row);
  }

  /** Every override, or those of one backend, ordered by backend, server, kind. */
  async list(backend?: string): Promise<RuntimeOverrideRecord[]> {
    const rows = await this.rows.find({
      where: backend === undefined ? {} : { backend },
      order: { backend: 'ASC', server: 'ASC', kind: 'ASC' },
    });
    return rows.map(toRecord);
  }

  /** Removes one override (or every kind of a server when `kind` is omitted); resolves to the number removed. */
  async delete(backend: string, server: string, kind?: RuntimeOverrideKind): Promise<number> {
    const result = await this.rows.delete(kind === undefined ? { backend, server } : { backend, server, kind });
    return result.affected ?? 0;
  }
}

function toRecord(row: Omit<RuntimeOverrideRow, 'id'>): RuntimeOverrideRecord {
  return {
    backend: row.backend,
    server: row.server,
    kind: row.kind as RuntimeOverrideKind,
    value: row.value,
    actor: row.actor,
    updatedAt: row.updated_at,
  };
}
