import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MOVE_PLACEMENTS, TenantMoveDto } from '../../tenant-moves/dto/tenant-move.dto';

export class UpdateTenantQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'Platform admins: when the new plan’s placement differs from where the tenant lives, start the move in the same transaction ' +
      '(queued, as `POST /control/tenants/{id}/moves`); if it cannot start (409), the plan is not changed either. Ignored when no move is called for.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  move?: 'true' | 'false';
}

export class StartMoveBodyDto {
  @ApiProperty({ enum: MOVE_PLACEMENTS })
  placement: (typeof MOVE_PLACEMENTS)[number];
}

/** The request that starts the offered move. */
export class StartMoveLinkDto {
  @ApiProperty({ enum: ['POST'] })
  method: 'POST';

  @ApiProperty({ example: '/control/tenants/0b7e4f2a-8c3d-4e1b-a5f6-7d8e9f0a1b2c/moves' })
  path: string;

  @ApiProperty({ type: StartMoveBodyDto })
  body: StartMoveBodyDto;
}

/** A new plan places its tenants elsewhere than this tenant lives: the move it calls for. */
export class PlacementChangeDto {
  @ApiProperty({ enum: MOVE_PLACEMENTS, description: 'Where the tenant lives' })
  from: (typeof MOVE_PLACEMENTS)[number];

  @ApiProperty({ enum: MOVE_PLACEMENTS, description: 'Where the new plan places its tenants (its `defaultPlacement`)' })
  to: (typeof MOVE_PLACEMENTS)[number];

  @ApiProperty({ type: StartMoveLinkDto, description: 'How to start the move (or send the plan change with `?move=true`)' })
  startMove: StartMoveLinkDto;

  @ApiProperty({ type: TenantMoveDto, nullable: true, description: 'The move started by `?move=true` (queued); null otherwise' })
  move: TenantMoveDto | null;
}
