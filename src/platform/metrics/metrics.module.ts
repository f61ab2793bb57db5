import { Global, Module } from '@nestjs/common';
import { AppMetrics } from './app-metrics';
import { MetricsController } from './metrics.controller';

/** Prometheus metrics: any module may register gauges on AppMetrics; GET /metrics serves them. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [AppMetrics],
  exports: [AppMetrics],
})
export class MetricsModule {}
