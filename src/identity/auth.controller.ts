import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../platform/errors/error-response.dto';
import { ApiThrottled } from '../platform/errors/api-throttled.decorator';
import { Actor, RequestContext } from '../platform/request-context/request-context';
import { Authenticated, Public } from '../platform/access/access.decorators';
import { CurrentActor } from '../platform/access/current-actor.decorator';
import { AuthService } from './auth.service';
import { ADMIN_LOGIN_EXAMPLE, LoginDto, RefreshDto, SwitchTenantDto } from './dto/login.dto';
import { MeDto, TokenResponseDto } from './dto/token-response.dto';
import { RegisterDto } from './dto/register.dto';
import { RegistrationService } from './registration.service';
import { MfaChallengeDto } from './mfa/dto/mfa-responses.dto';
import { AllowedDuringMfaEnrolment } from './mfa/mfa-enrolment-scope';
import { TenantDetailDto } from '../control-plane/tenants/dto/tenant.dto';
import { InvitationTokenDto } from '../control-plane/invitations/dto/invitation.dto';
import { MailedAnswerDto } from './dto/password.dto';
import { Idempotent } from '../platform/idempotency/idempotent.decorator';

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registration: RegistrationService,
    private readonly context: RequestContext,
  ) {}

  @Post('register')
  @Idempotent()
  @HttpCode(202)
  @Public()
  @ApiOperation({
    summary: 'Self-service sign-up, step 1: mails a link to confirm the e-mail',
    description:
      'Nothing is created yet, and the answer is the same whether or not the e-mail has an account (its holder is told by mail). ' +
      'Following the link (POST /auth/register/verify) creates the account and the tenant. ' +
      'Off in production unless SELF_SERVICE_REGISTRATION=true; the plan must be one of SELF_SERVICE_PLANS.',
  })
  @ApiAcceptedResponse({ type: MailedAnswerDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Self-service registration is turned off' })
  @ApiThrottled('Too many registrations from this IP')
  async register(@Body() dto: RegisterDto): Promise<MailedAnswerDto> {
    await this.registration.register(dto, this.context.clientIp);
    return { message: 'Check your mail: the link in it creates your account and your tenant' };
  }

  @Post('register/verify')
  @Idempotent()
  @HttpCode(202)
  @Public()
  @ApiOperation({
    summary: 'Self-service sign-up, step 2: the mailed token creates the account and the tenant',
    description: 'Answers 202 with the tenant in status `provisioning`; sign in once it is active (409 until then).',
  })
  @ApiAcceptedResponse({ type: TenantDetailDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Self-service registration is turned off' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The e-mail got an account meanwhile' })
  verifyRegistration(@Body() dto: InvitationTokenDto): Promise<TenantDetailDto> {
    return this.registration.verify(dto.token);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Sign in, optionally into a tenant (required when the user belongs to several)',
    description:
      'With TOTP enabled the right password answers `{mfaRequired: true, mfaToken}` instead of tokens: finish with POST /auth/login/mfa.',
  })
  @ApiBody({ type: LoginDto, examples: { platformAdmin: ADMIN_LOGIN_EXAMPLE } })
  @ApiExtraModels(TokenResponseDto, MfaChallengeDto)
  @ApiOkResponse({
    description: 'Tokens, or the MFA challenge when the account has a second factor',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenResponseDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Wrong email or password (one answer for both)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Not a member of that tenant, or the tenant is suspended' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is still being provisioned' })
  @ApiThrottled('Too many failed attempts for the account or IP')
  login(@Body() dto: LoginDto): Promise<TokenResponseDto | MfaChallengeDto> {
    return this.auth.login(dto, this.context.clientIp);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens; reusing an old one revokes the whole login' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Invalid, expired, revoked or reused refresh token' })
  refresh(@Body() dto: RefreshDto): Promise<TokenResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @ApiOperation({
    summary: 'End the login the refresh token belongs to',
    description: 'Its refresh tokens and its access tokens stop working at once, on every API process (401 `The session has ended`).',
  })
  @ApiNoContentResponse()
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }

  @Post('switch-tenant')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Sign into another tenant of the same user; the old refresh token is consumed' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is still being provisioned' })
  switchTenant(@CurrentActor() actor: Actor, @Body() dto: SwitchTenantDto): Promise<TokenResponseDto> {
    return this.auth.switchTenant(actor, dto);
  }

  @Get('me')
  @Authenticated()
  @AllowedDuringMfaEnrolment()
  @ApiOperation({
    summary: 'The signed-in user, the current tenant with what their role there grants, and all their memberships',
    description:
      'For a signed-in person only: an API key is refused (403), its permissions are those it was created with (GET /api/api-keys).',
  })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.auth.me(actor);
  }
}
