import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** A Redis command slower than this counts as failed, so a hung Redis cannot hold requests up. */
const COMMAND_TIMEOUT_MS = 500;
/** How long start-up waits for Redis before it goes on without it (it keeps reconnecting). */
const CONNECT_TIMEOUT_MS = 2_000;

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * The Redis client of REDIS_URL (null without one), and its lifecycle. Commands are not queued
 * while the connection is down: they fail at once, so whoever uses Redis falls back at once
 * (see RateLimitCounters) instead of waiting. An outage is logged once, and so is its end.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: Redis | null;
  private down = false;

  constructor(config: ConfigService<AppConfig, true>) {
    const url = config.get('redis.url', { infer: true });
    this.client = url
      ? new Redis(url, {
          lazyConnect: true,
          // A request counts against several limits at once, and concurrent requests do too: commands issued
          // in the same tick go out in one write, instead of a write (and a system call) each.
          enableAutoPipelining: true,
          enableOfflineQueue: false,
          commandTimeout: COMMAND_TIMEOUT_MS,
          connectTimeout: CONNECT_TIMEOUT_MS,
          maxRetriesPerRequest: 0,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        })
      : null;
    this.client?.on('error', (error: Error) => this.lost(error));
    this.client?.on('ready', () => this.restored());
  }

  async onModuleInit(): Promise<void> {
    await this.client?.connect().catch((error: Error) => this.lost(error));
  }

  async onApplicationShutdown(): Promise<void> {
    this.client?.disconnect();
  }

  private lost(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(`Redis is unreachable (${error.message}); rate limits are counted in this process until it is back`);
  }

  private restored(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log('Redis is reachable again; rate limits are shared by every process again');
  }
}

export const redisClientProvider = {
  provide: REDIS_CLIENT,
  inject: [RedisConnection],
  useFactory: (connection: RedisConnection) => connection.client,
};

export const InjectRedis = () => Inject(REDIS_CLIENT);
