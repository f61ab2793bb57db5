import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { RefusesApiKeys } from '../../platform/access/refuses-api-keys.decorator';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Actor } from '../../platform/request-context/request-context';
import { InvitationDto, InviteToPlatformDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('control: users')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/invitations')
export class PlatformInvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  // An invitation can make a platform admin: like changing a platform role, it takes a signed-in admin.
  @RefusesApiKeys()
  @ApiOperation({
    summary: 'Invite someone to open an account on the platform (optionally as a platform admin)',
    description:
      'Nobody but the holder of the e-mail sets its password: the mailed link lets them choose it. The answer does not say whether the e-mail has an account.',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  invite(@Body() dto: InviteToPlatformDto, @CurrentActor() actor: Actor): Promise<InvitationDto> {
    return this.invitations.invite({
      tenantId: null,
      role: null,
      email: dto.email,
      platformRole: dto.platformRole ?? null,
      invitedBy: actor.userId,
    });
  }

  @Get()
  @ApiOperation({ summary: 'Platform invitations, newest first, with their status' })
  @ApiOkResponse({ type: [InvitationDto] })
  list(): Promise<InvitationDto[]> {
    return this.invitations.list(null);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending platform invitation' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already accepted' })
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.invitations.revoke(null, id);
  }
}
