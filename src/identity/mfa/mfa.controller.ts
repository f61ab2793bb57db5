import { Body, Controller, Delete, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ApiThrottled } from '../../platform/errors/api-throttled.decorator';
import { Actor } from '../../platform/request-context/request-context';
import { UsersService } from '../../control-plane/users/users.service';
import { Authenticated, Public } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { TokenResponseDto } from '../dto/token-response.dto';
import { RecoveryCodesDto, TotpSetupDto } from './dto/mfa-responses.dto';
import { ConfirmTotpDto, LoginMfaDto, SecondFactorDto } from './dto/second-factor.dto';
import { AllowedDuringMfaEnrolment } from './mfa-enrolment-scope';
import { MfaLoginService } from './mfa-login.service';
import { MfaUser, TotpService } from './totp.service';

const THROTTLED = 'Too many wrong codes or passwords for the account or IP';

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('auth')
export class MfaController {
  constructor(
    private readonly login: MfaLoginService,
    private readonly totp: TotpService,
    private readonly users: UsersService,
  ) {}

  @Post('login/mfa')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Second login step: the mfaToken from POST /auth/login and a current code or a recovery code',
    description:
      'Answers like a login without a second factor. A code works once (its time step is remembered), a recovery code once. ' +
      'Wrong codes count as failed logins.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'mfaToken invalid or expired, or the code is wrong or was already used' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'Not a member of the tenant asked for at the password step, or it is suspended',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is still being provisioned' })
  @ApiThrottled(THROTTLED)
  completeLogin(@Body() dto: LoginMfaDto): Promise<TokenResponseDto> {
    return this.login.complete(dto);
  }

  @Post('mfa/totp/setup')
  @Authenticated()
  @AllowedDuringMfaEnrolment()
  @ApiOperation({
    summary: 'Start TOTP enrolment: a new secret for an authenticator app',
    description:
      'The secret is stored encrypted and stays inactive until POST /auth/mfa/totp/confirm; calling again replaces a pending one.',
  })
  @ApiCreatedResponse({ type: TotpSetupDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'TOTP is already enabled' })
  async setup(@CurrentActor() actor: Actor): Promise<TotpSetupDto> {
    return this.totp.setup(await this.user(actor));
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  @Authenticated()
  @AllowedDuringMfaEnrolment()
  @ApiOperation({
    summary: 'Activate TOTP with a current code; answers 10 one-time recovery codes, shown only this once',
    description:
      'From now on login asks for a code. Every refresh token of the account is revoked: sessions that did not use the factor end.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The code is wrong (`details` names `code`)' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'No enrolment is pending, or TOTP is already enabled' })
  @ApiThrottled(THROTTLED)
  async confirm(@CurrentActor() actor: Actor, @Body() dto: ConfirmTotpDto): Promise<RecoveryCodesDto> {
    return this.totp.confirm(await this.user(actor), dto.code);
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({
    summary: 'Turn TOTP off, proven with a current code or a recovery code',
    description:
      'Removes the secret and the recovery codes. A platform admin under REQUIRE_ADMIN_MFA=true is restricted to enrolment ' +
      'again from the next token on.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Neither or both of code and recoveryCode, or the one sent is wrong or used (`details` names it)',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'TOTP is not enabled' })
  @ApiThrottled(THROTTLED)
  async disable(@CurrentActor() actor: Actor, @Body() dto: SecondFactorDto): Promise<void> {
    await this.totp.disable(await this.user(actor), dto);
  }

  private async user(actor: Actor): Promise<MfaUser> {
    const user = await this.users.findActive(actor.userId);
    if (!user) throw new UnauthorizedException('The account is disabled or no longer exists');
    return user;
  }
}
