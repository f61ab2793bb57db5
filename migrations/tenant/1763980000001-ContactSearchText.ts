import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contact search matches one lower-cased column with LIKE instead of three columns with ILIKE:
 * less work per row a filtered list walks (BENCHMARKS.md, bench:crm). Adding a stored column
 * rewrites the table once.
 */
export class ContactSearchText1763980000001 implements MigrationInterface {
  name = 'ContactSearchText1763980000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE contacts ADD COLUMN search_text text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name || ' ' || coalesce(email, ''))) STORED`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contacts DROP COLUMN search_text');
  }
}
