import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * Events: one or more dates (instants plus the IANA time zone they are held in) and staff
 * (users of the tenant, kept in the control plane, hence no foreign key) with a role each.
 */
export class Events1763990000001 implements MigrationInterface {
  name = 'Events1763990000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        category varchar(100),
        type varchar(100),
        status varchar(16) NOT NULL CHECK (status IN ('planned', 'confirmed', 'cancelled', 'completed')),
        location varchar(300),
        description text,
        owner_user_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX events_created_idx ON events (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_name_idx ON events (tenant_id, name, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_status_idx ON events (tenant_id, status) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_category_idx ON events (tenant_id, category) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_type_idx ON events (tenant_id, type) WHERE deleted_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE event_dates (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        event_id uuid NOT NULL,
        position integer NOT NULL CHECK (position >= 0 AND position < 50),
        starts_at timestamptz(3) NOT NULL,
        ends_at timestamptz(3) NOT NULL,
        time_zone varchar(64) NOT NULL,
        PRIMARY KEY (tenant_id, event_id, position),
        FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE,
        CHECK (ends_at > starts_at)
      )`);
    // The date-range filter: dates starting before the range's end, then their end compared.
    await queryRunner.query(`CREATE INDEX event_dates_range_idx ON event_dates (tenant_id, starts_at, ends_at)`);
    await queryRunner.query(`
      CREATE TABLE event_staff (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        event_id uuid NOT NULL,
        position integer NOT NULL CHECK (position >= 0),
        user_id uuid NOT NULL,
        role varchar(100) NOT NULL,
        PRIMARY KEY (tenant_id, event_id, position),
        UNIQUE (tenant_id, event_id, user_id),
        FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX event_staff_user_idx ON event_staff (tenant_id, user_id)`);
    await isolateTenants(queryRunner, ['events', 'event_dates', 'event_staff']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['event_staff', 'event_dates', 'events']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
