import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * Stock items and the movements that alone change their stock. The CHECKs are the last line of
 * defence behind the service's conditional updates: stock and reservations never go negative and
 * never more is reserved than is on hand, whatever runs concurrently.
 */
export class Inventory1763990000002 implements MigrationInterface {
  name = 'Inventory1763990000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory_items (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        sku varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        stock_on_hand integer NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock_on_hand),
        low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
        price_selling_minor bigint NOT NULL CHECK (price_selling_minor >= 0),
        currency char(3) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('available', 'reserved', 'sold', 'archived')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX inventory_items_sku_key ON inventory_items (tenant_id, sku)`);
    await queryRunner.query(
      `CREATE INDEX inventory_items_created_idx ON inventory_items (tenant_id, created_at, id) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX inventory_items_price_idx ON inventory_items (tenant_id, price_selling_minor, id) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX inventory_items_status_idx ON inventory_items (tenant_id, status, price_selling_minor) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE inventory_movements (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('receive', 'sell', 'adjust', 'reserve', 'release')),
        quantity integer NOT NULL CHECK (quantity <> 0),
        stock_after integer NOT NULL,
        reserved_after integer NOT NULL,
        reason varchar(500) NOT NULL DEFAULT '',
        reference varchar(100),
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX inventory_movements_item_idx ON inventory_movements (tenant_id, item_id, created_at, id)`);
    await isolateTenants(queryRunner, ['inventory_items', 'inventory_movements']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['inventory_movements', 'inventory_items']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
