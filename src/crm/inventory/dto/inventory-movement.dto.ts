import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, NotEquals } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText } from '../../../platform/validation/text';
import { InventoryMovement, MOVEMENT_KINDS, MovementKind } from '../entities/inventory-movement.entity';

export class CreateMovementDto {
  @ApiProperty({
    enum: MOVEMENT_KINDS,
    example: 'receive',
    description: 'receive/sell/adjust change stock on hand; reserve/release change reservations',
  })
  @IsIn(MOVEMENT_KINDS)
  kind: MovementKind;

  @ApiProperty({ type: 'integer', example: 3, description: 'Units; positive, except for adjust, whose sign is the direction' })
  @IsInt()
  @Min(-1_000_000_000)
  @Max(1_000_000_000)
  @NotEquals(0)
  quantity: number;

  @ApiProperty({ example: 'Delivery note 4711', maxLength: 500, description: 'Why the stock changes (required)' })
  @IsDisplayText(500)
  reason: string;

  @ApiPropertyOptional({ example: 'PO-2027-118', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  reference?: string;
}

export class ListMovementsQueryDto extends CursorPaginationQueryDto {}

export class InventoryMovementDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null where the tenant’s own database keeps no movement history',
  })
  id: string | null;

  @ApiProperty({ format: 'uuid' })
  itemId: string;

  @ApiProperty({ enum: MOVEMENT_KINDS })
  kind: MovementKind;

  @ApiProperty({ type: 'integer', example: 3 })
  quantity: number;

  @ApiProperty({ type: 'integer', example: 8 })
  stockAfter: number;

  @ApiProperty({ type: 'integer', example: 1 })
  reservedAfter: number;

  @ApiProperty({ example: 'Delivery note 4711' })
  reason: string;

  @ApiProperty({ nullable: true, type: String, example: 'PO-2027-118' })
  reference: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The user who made the movement' })
  createdBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  static from(movement: InventoryMovement): InventoryMovementDto {
    const { id, itemId, kind, quantity, stockAfter, reservedAfter, reason, reference, createdBy, createdAt } = movement;
    return { id, itemId, kind, quantity, stockAfter, reservedAfter, reason, reference, createdBy, createdAt };
  }
}

export class InventoryMovementPageDto extends PageDtoOf(InventoryMovementDto) {}
