import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AppConfig } from '../../platform/config/app-config';
import { bindingOf } from '../tenant-binding/bound-requests';
import { UsageMeter } from './usage-meter';

/**
 * Meters each answered /api request of a tenant once its answer is sent, off the request's path:
 * a Fastify hook reading who the request was bound to, rather than a Nest middleware (a second
 * one cost every request measurably; see BENCHMARKS, bench:routing).
 */
@Injectable()
export class UsageHttpHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly meter: UsageMeter,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /**
   * Before the app listens (Fastify takes hooks until it is ready); a module without HTTP (service tests) has none.
   * With USAGE_METERING=false no hook is added, so answered requests run no metering code at all.
   */
  onModuleInit(): void {
    if (!this.config.get('usage.metering', { infer: true })) return;
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', async (request, reply) => {
      const binding = bindingOf(request);
      if (binding) this.meter.record(binding.tenantId, binding.userId, request.method, reply.statusCode);
    });
  }
}
