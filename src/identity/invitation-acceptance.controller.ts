import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../platform/errors/error-response.dto';
import { Actor } from '../platform/request-context/request-context';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  InvitationPreviewDto,
  InvitationTokenDto,
} from '../control-plane/invitations/dto/invitation.dto';
import { InvitationsService } from '../control-plane/invitations/invitations.service';
import { Authenticated, Public } from '../platform/access/access.decorators';
import { CurrentActor } from '../platform/access/current-actor.decorator';

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input, or an invalid, accepted, revoked or expired invitation' })
@Controller('auth/invitations')
export class InvitationAcceptanceController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('preview')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'What an invitation offers (tenant, role, who invited), for the holder of its token' })
  @ApiOkResponse({ type: InvitationPreviewDto })
  preview(@Body() dto: InvitationTokenDto): Promise<InvitationPreviewDto> {
    return this.invitations.preview(dto.token);
  }

  @Post('accept')
  @Public()
  @ApiOperation({ summary: 'Accept an invitation by opening its account: you choose the password, then sign in' })
  @ApiCreatedResponse({ type: AcceptedInvitationDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The e-mail has an account (sign in and use accept-existing), or the tenant is full or deleted',
  })
  accept(@Body() dto: AcceptInvitationDto): Promise<AcceptedInvitationDto> {
    return this.invitations.acceptWithNewAccount(dto.token, dto.password, dto.name);
  }

  @Post('accept-existing')
  @Authenticated()
  @ApiOperation({ summary: 'Accept an invitation with the account you are signed in with (it must be the invited e-mail)' })
  @ApiCreatedResponse({ type: AcceptedInvitationDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The invitation was sent to another e-mail address' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is full or deleted, or the role no longer exists' })
  acceptExisting(@CurrentActor() actor: Actor, @Body() dto: InvitationTokenDto): Promise<AcceptedInvitationDto> {
    return this.invitations.acceptAsUser(dto.token, actor.userId);
  }
}
