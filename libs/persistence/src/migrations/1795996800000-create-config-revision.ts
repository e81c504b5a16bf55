import type { MigrationInterface, QueryRunner } from 'typeorm';

/** config_revision: every configuration the node tried to apply, applied or rejected. */
export class CreateConfigRevision1795996800000 implements MigrationInterface {
  readonly name = 'CreateConfigRevision1795996800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "config_revision" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "sha256" varchar(64) NOT NULL, "text" text NOT NULL, "applied_at" varchar(24) NOT NULL, "outcome" varchar(16) NOT NULL, "diagnostics" text NOT NULL DEFAULT (''), "trigger" varchar(16) NOT NULL, "node" varchar(255) NOT NULL, CONSTRAINT "CHK_config_revision_outcome" CHECK ("outcome" IN ('applied','rejected')), CONSTRAINT "CHK_config_revision_trigger" CHECK ("trigger" IN ('start','reload-signal','reload-command')))`,
    );
    await q.query(`CREATE INDEX "IDX_config_revision_outcome_id" ON "config_revision" ("outcome", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_config_revision_outcome_id"`);
    await q.query(`DROP TABLE "config_revision"`);
  }
}
