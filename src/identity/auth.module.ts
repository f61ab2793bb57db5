import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../platform/config/app-config';
import { ControlPlaneModule } from '../control-plane/control-plane.module';
import { ApiKeyAuthModule } from './api-keys/api-key-auth.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AccessGuard } from './guards/access.guard';
import { AccessTokenVerifier } from './access-token-verifier';
import { InvitationAcceptanceController } from './invitation-acceptance.controller';
import { PasswordController } from './password.controller';
import { PasswordService } from './password.service';
import { RegistrationService } from './registration.service';
import { MfaController } from './mfa/mfa.controller';
import { MFA_PROVIDERS } from './mfa/mfa.providers';
import { AccessTokenStrategy } from './strategies/access-token.strategy';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { AppStrategyNames } from './strategies/app-strategy-names';
import { requestAuthenticatorProvider } from './strategies/bearer-authentication';
import { JwtAccessTokenStrategy } from './strategies/jwt.strategy';
import { TenantRateLimitsModule } from '../control-plane/rate-limits/tenant-rate-limits.module';
import { TenantRateLimitGuard } from '../control-plane/rate-limits/tenant-rate-limit.guard';
import { QuotasModule } from '../control-plane/quotas/quotas.module';
import { TenantQuotaGuard } from '../control-plane/quotas/tenant-quota.guard';

@Module({
  imports: [
    ControlPlaneModule,
    ApiKeyAuthModule,
    TenantRateLimitsModule,
    QuotasModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({ secret: config.get('auth.jwtSecret', { infer: true }) }),
    }),
  ],
  controllers: [AuthController, PasswordController, InvitationAcceptanceController, MfaController],
  providers: [
    AuthService,
    RegistrationService,
    PasswordService,
    AccessTokenVerifier,
    ...MFA_PROVIDERS,
    AccessTokenStrategy,
    JwtAccessTokenStrategy,
    AppStrategyNames,
    ApiKeyStrategy,
    requestAuthenticatorProvider,
    { provide: APP_GUARD, useClass: AccessGuard },
    // After the access guard, which binds the tenant and the caller that the limits are counted for.
    { provide: APP_GUARD, useExisting: TenantRateLimitGuard },
    // After the rate limits, so a flood is turned away before the quota figures are looked at.
    { provide: APP_GUARD, useExisting: TenantQuotaGuard },
  ],
  // For the benchmark that weighs the strategies against each other (bench/routing).
  exports: [AccessTokenVerifier, AppStrategyNames, PasswordService],
})
export class AuthModule {}
