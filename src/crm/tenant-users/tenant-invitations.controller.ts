import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { InvitationDto, InviteToTenantDto } from '../../control-plane/invitations/dto/invitation.dto';
import { TenantUsersService } from './tenant-users.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

@OutsideTenantStorage()
@ApiTags('api: users')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/invitations')
export class TenantInvitationsController {
  constructor(private readonly users: TenantUsersService) {}

  @Post()
  @Idempotent()
  @TenantPermission('users.manage')
  @ApiOperation({
    summary: 'Invite someone into the current tenant with a role within your own permissions',
    description:
      'Mails a one-time link; they join only by accepting it (an existing account while signed in, a new one by choosing its own password). ' +
      'The answer is the same whether or not the e-mail has an account. A pending invitation of the same e-mail is replaced. ' +
      'The plan’s maxUsers is checked when the invitation is accepted.',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The role has permissions you do not hold' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already a user of this tenant' })
  invite(@Body() dto: InviteToTenantDto): Promise<InvitationDto> {
    return this.users.invite(dto.email, dto.role);
  }

  @Get()
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'The tenant’s invitations, newest first, with their status (pending, accepted, revoked, expired)' })
  @ApiOkResponse({ type: [InvitationDto] })
  list(): Promise<InvitationDto[]> {
    return this.users.listInvitations();
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('users.manage')
  @ApiOperation({ summary: 'Revoke a pending invitation: its link stops working' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already accepted' })
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.revokeInvitation(id);
  }
}
