import type { MigrationInterface, QueryRunner } from 'typeorm';

/** runtime_override: operator changes made at runtime (set server state/weight/addr/maxconn), one per kind. */
export class CreateRuntimeOverride1795996800001 implements MigrationInterface {
  readonly name = 'CreateRuntimeOverride1795996800001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "runtime_override" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "backend" varchar(255) NOT NULL, "server" varchar(255) NOT NULL, "kind" varchar(16) NOT NULL, "value" text NOT NULL, "updated_at" varchar(24) NOT NULL, "actor" varchar(255) NOT NULL, CONSTRAINT "UQ_runtime_override_backend_server_kind" UNIQUE ("backend", "server", "kind"), CONSTRAINT "CHK_runtime_override_kind" CHECK ("kind" IN ('state','weight','addr','maxconn')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "runtime_override"`);
  }
}
