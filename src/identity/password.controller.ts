import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../platform/errors/error-response.dto';
import { ApiThrottled } from '../platform/errors/api-throttled.decorator';
import { Actor, RequestContext } from '../platform/request-context/request-context';
import { Authenticated, Public } from '../platform/access/access.decorators';
import { CurrentActor } from '../platform/access/current-actor.decorator';
import { ChangePasswordDto, ForgotPasswordDto, MailedAnswerDto, ResetPasswordDto } from './dto/password.dto';
import { PasswordService } from './password.service';

@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description: 'Invalid input, or an invalid, used or expired link; `details` names the field',
})
@Controller('auth/password')
export class PasswordController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly context: RequestContext,
  ) {}

  @Post('forgot')
  @HttpCode(202)
  @Public()
  @ApiOperation({
    summary: 'Mail a one-time password-reset link',
    description: 'The answer is the same whether or not the e-mail has an account.',
  })
  @ApiAcceptedResponse({ type: MailedAnswerDto })
  @ApiThrottled('Too many requests from this IP')
  async forgot(@Body() dto: ForgotPasswordDto): Promise<MailedAnswerDto> {
    await this.passwords.requestReset(dto.email, this.context.clientIp);
    return { message: 'If the address has an account, a mail with a reset link is on its way' };
  }

  @Post('reset')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'Set a new password with the mailed token; every session of the account ends' })
  @ApiNoContentResponse()
  reset(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.passwords.reset(dto.token, dto.password);
  }

  @Post('change')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Change your own password; every session of the account ends (sign in again)' })
  @ApiNoContentResponse()
  @ApiThrottled('Too many wrong current passwords')
  change(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.passwords.change(actor, dto.currentPassword, dto.newPassword);
  }
}
