import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ClsService } from 'nestjs-cls';
import { RequestContext } from './request-context';
import { RequestContextMiddleware } from './request-context.middleware';

/**
 * The request's context lives in nestjs-cls's ClsService (AsyncLocalStorage), opened by one
 * middleware. Not ClsModule.forRoot: it always registers a global guard and a global interceptor
 * as well, no-ops unless asked for, and the interceptor alone put every route through Nest's
 * interceptor chain (rxjs, and two AsyncResource.bind per request, which on Node 20 define
 * deprecated getters each time), a visible share of the contact list's CPU (BENCHMARKS.md,
 * bench:crm).
 */
@Global()
@Module({
  providers: [{ provide: ClsService, useFactory: () => new ClsService(new AsyncLocalStorage()) }, RequestContext, RequestContextMiddleware],
  exports: [ClsService, RequestContext],
})
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
