import type { MigrationInterface, QueryRunner } from 'typeorm';

/** audit_event: every admin command, who issued it and what it answered. Append-only. */
export class CreateAuditEvent1795996800002 implements MigrationInterface {
  readonly name = 'CreateAuditEvent1795996800002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" varchar(24) NOT NULL, "actor" varchar(255) NOT NULL, "command" text NOT NULL, "result" text NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_event"`);
  }
}
