import { EntitySchema } from 'typeorm';

/** Row shape of `audit_event` (internal; the public type is AuditEventRecord). */
export interface AuditEventRow {
  id: number;
  at: string;
  actor: string;
  command: string;
  result: string;
}

export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'audit_event',
  tableName: 'audit_event',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    at: { type: 'varchar', length: 24 },
    actor: { type: 'varchar', length: 255 },
    command: { type: 'text' },
    result: { type: 'text' },
  },
});
