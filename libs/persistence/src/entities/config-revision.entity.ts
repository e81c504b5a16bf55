import { EntitySchema } from 'typeorm';

/** Row shape of `config_revision` (internal; the public type is ConfigRevisionRecord). */
export interface ConfigRevisionRow {
  id: number;
  sha256: string;
  text: string;
  applied_at: string;
  outcome: string;
  diagnostics: string;
  trigger: string;
  node: string;
}

export const ConfigRevisionEntity = new EntitySchema<ConfigRevisionRow>({
  name: 'config_revision',
  tableName: 'config_revision',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    sha256: { type: 'varchar', length: 64 },
    text: { type: 'text' },
    applied_at: { type: 'varchar', length: 24 },
    outcome: { type: 'varchar', length: 16 },
    diagnostics: { type: 'text', default: '' },
    trigger: { type: 'varchar', length: 16 },
    node: { type: 'varchar', length: 255 },
  },
  indices: [{ name: 'IDX_config_revision_outcome_id', columns: ['outcome', 'id'] }],
  checks: [
    { name: 'CHK_config_revision_outcome', expression: `"outcome" IN ('applied','rejected')` },
    { name: 'CHK_config_revision_trigger', expression: `"trigger" IN ('start','reload-signal','reload-command')` },
  ],
});
