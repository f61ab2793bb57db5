import { Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ClsService } from 'nestjs-cls';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { RequestContext } from '../../platform/request-context/request-context';
import { UsageMeter } from './usage-meter';

/**
 * Meters each answered /api request of a tenant once its answer is sent, off the request's path.
 * The tenant and the caller are bound later in the request (by the access guard), so the
 * request's context is kept here and read again when the answer has gone. A middleware rather
 * than an interceptor: the request context module explains what Nest's interceptor chain costs.
 */
@Injectable()
export class UsageMeteringMiddleware implements NestMiddleware {
  constructor(
    private readonly cls: ClsService,
    private readonly tenantContext: TenantContext,
    private readonly requestContext: RequestContext,
    private readonly meter: UsageMeter,
  ) {}

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const store = this.cls.isActive() ? this.cls.get() : undefined;
    if (store) res.once('finish', () => this.cls.runWith(store, () => this.count(req.method ?? 'GET', res.statusCode)));
    next();
  }

  private count(method: string, statusCode: number): void {
    const tenant = this.tenantContext.get();
    if (tenant) this.meter.record(tenant.id, this.requestContext.actor?.userId, method, statusCode);
  }
}
