import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LoginThrottleService } from './login-throttle.service';
import { SessionsService } from './sessions.service';

@Module({
  imports: [AuditModule],
  providers: [SessionsService, LoginThrottleService],
  exports: [SessionsService, LoginThrottleService],
})
export class SessionsModule {}
