import { EntitySchema } from 'typeorm';

/** Row shape of `runtime_override` (internal; the public type is RuntimeOverrideRecord). */
export interface RuntimeOverrideRow {
  id: number;
  backend: string;
  server: string;
  kind: string;
  value: string;
  updated_at: string;
  actor: string;
}

export const RuntimeOverrideEntity = new EntitySchema<RuntimeOverrideRow>({
  name: 'runtime_override',
  tableName: 'runtime_override',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    backend: { type: 'varchar', length: 255 },
    server: { type: 'varchar', length: 255 },
    kind: { type: 'varchar', length: 16 },
    value: { type: 'text' },
    updated_at: { type: 'varchar', length: 24 },
    actor: { type: 'varchar', length: 255 },
  },
  uniques: [{ name: 'UQ_runtime_override_backend_server_kind', columns: ['backend', 'server', 'kind'] }],
  checks: [{ name: 'CHK_runtime_override_kind', expression: `"kind" IN ('state','weight','addr','maxconn')` }],
});
