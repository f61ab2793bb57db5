import { Module } from '@nestjs/common';
import { AppProcessesService } from './app-processes.service';

/** The registry of running Tenantry processes (app_processes), which servers' connection budgets are split across. */
@Module({
  providers: [AppProcessesService],
  exports: [AppProcessesService],
})
export class AppProcessesModule {}
