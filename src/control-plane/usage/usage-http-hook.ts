import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
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
  ) {}

  /** Before the app listens (Fastify takes hooks until it is ready); a module without HTTP (service tests) has none. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', async (request, reply) => {
      const binding = bindingOf(request);
      if (binding) this.meter.record(binding.tenantId, binding.userId, request.method, reply.statusCode);
    });
  }
}
