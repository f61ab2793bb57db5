import { Global, Module } from '@nestjs/common';
import { RateLimitCounters } from './rate-limit-counters';
import { RedisConnection, redisClientProvider } from './redis-connection';

/** Request counters shared by every app process (Redis) or kept in this one: for any limit of the app. */
@Global()
@Module({
  providers: [RedisConnection, redisClientProvider, RateLimitCounters],
  exports: [RateLimitCounters],
})
export class RateLimitsModule {}
