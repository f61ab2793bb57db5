import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChangeFeedModule } from '../change-feed/change-feed.module';
import { LoginThrottleService } from './login-throttle.service';
import { RevocationFeed } from './revocation-feed';
import { RevocationList } from './revocation-list';
import { SessionRevocations } from './session-revocations';
import { SessionsService } from './sessions.service';

@Module({
  imports: [AuditModule, ChangeFeedModule],
  providers: [SessionsService, LoginThrottleService, SessionRevocations, RevocationList, RevocationFeed],
  exports: [SessionsService, LoginThrottleService, SessionRevocations, RevocationList],
})
export class SessionsModule {}
