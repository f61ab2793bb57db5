import { Global, Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { PlatformAlerts } from './platform-alerts';
import { QuotaAlerts } from './quota-alerts';

/** Alerts to platform admins; any module raises them through PlatformAlerts. */
@Global()
@Module({
  controllers: [AlertsController],
  providers: [PlatformAlerts, QuotaAlerts],
  exports: [PlatformAlerts, QuotaAlerts],
})
export class AlertsModule {}
