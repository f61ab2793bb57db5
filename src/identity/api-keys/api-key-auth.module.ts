import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../../control-plane/api-keys/api-keys.module';
import { SessionsModule } from '../../control-plane/sessions/sessions.module';
import { UsersModule } from '../../control-plane/users/users.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { PlatformApiKeysController } from './platform-api-keys.controller';
import { TenantApiKeysController } from './tenant-api-keys.controller';

/** API keys over HTTP: their routes under /api and /control, and the authenticator the AccessGuard asks. */
@Module({
  imports: [ApiKeysModule, UsersModule, SessionsModule],
  controllers: [TenantApiKeysController, PlatformApiKeysController],
  providers: [ApiKeyAuthenticator],
  exports: [ApiKeyAuthenticator],
})
export class ApiKeyAuthModule {}
