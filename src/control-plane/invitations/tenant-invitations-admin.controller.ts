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
import { TenantAdministration } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Actor } from '../../platform/request-context/request-context';
import { InvitationDto, InviteToTenantDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('control: tenants')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/tenants/:id/invitations')
export class TenantInvitationsAdminController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @TenantAdministration('id')
  @ApiOperation({
    summary: 'Invite someone into a tenant with a role',
    description:
      'Mails a one-time link; the person joins only by accepting it (an existing account while signed in, a new one by choosing its password). ' +
      'The answer is the same whether or not the e-mail has an account. A pending invitation of the same e-mail is replaced.',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown tenant' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already a user of the tenant, or the tenant is deleted' })
  invite(@Param('id', ParseUUIDPipe) id: string, @Body() dto: InviteToTenantDto, @CurrentActor() actor: Actor): Promise<InvitationDto> {
    return this.invitations.invite({ tenantId: id, email: dto.email, role: dto.role, invitedBy: actor.userId });
  }

  @Get()
  @TenantAdministration('id')
  @ApiOperation({ summary: 'The invitations of a tenant, newest first, with their status' })
  @ApiOkResponse({ type: [InvitationDto] })
  list(@Param('id', ParseUUIDPipe) id: string): Promise<InvitationDto[]> {
    return this.invitations.list(id);
  }

  @Delete(':invitationId')
  @HttpCode(204)
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Revoke a pending invitation: its link stops working' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already accepted' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @Param('invitationId', ParseUUIDPipe) invitationId: string): Promise<void> {
    return this.invitations.revoke(id, invitationId);
  }
}
