import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import { Actor, RequestContext } from '../common/request-context/request-context';
import { Authenticated, Public } from './access/access.decorators';
import { CurrentActor } from './access/current-actor.decorator';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto, SwitchTenantDto } from './dto/login.dto';
import { MeDto, TokenResponseDto } from './dto/token-response.dto';
import { RegisterDto } from './dto/register.dto';
import { RegistrationService } from './registration.service';
import { TenantDetailDto } from '../control-plane/tenants/dto/tenant.dto';

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
  @HttpCode(202)
  @Public()
  @ApiOperation({
    summary: 'Self-service sign-up: a new tenant on the plan’s default placement, with you as its admin',
    description: 'Answers 202 with the tenant in status `provisioning`; log in once it is active (409 until then). Off when SELF_SERVICE_REGISTRATION=false.',
  })
  @ApiAcceptedResponse({ type: TenantDetailDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Self-service registration is turned off' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'An account with this email exists' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many registrations from this IP; see Retry-After' })
  register(@Body() dto: RegisterDto): Promise<TenantDetailDto> {
    return this.registration.register(dto, this.context.clientIp);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Sign in, optionally into a tenant (required when the user belongs to several)' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Wrong email or password (one answer for both)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Not a member of that tenant, or the tenant is suspended' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is still being provisioned' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many failed attempts for the account or IP; see Retry-After' })
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
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
  @ApiOperation({ summary: 'The signed-in user, the current tenant and all their memberships' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.auth.me(actor);
  }
}
