import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /metrics is for the platform's scraper, not for API clients: with METRICS_TOKEN set it needs
 * that bearer token; without one only loopback clients (a scraper or sidecar on the same host) get
 * it, and everyone else a 404, as if there were nothing there. Behind a proxy (TRUST_PROXY) every
 * request may come from loopback, so there only the token lets a scraper in. With METRICS=false
 * there is nothing to serve: everyone gets the 404.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly token: Buffer | null;
  private readonly loopbackAllowed: boolean;
  private readonly enabled: boolean;

  constructor(config: ConfigService<AppConfig, true>) {
    const { metricsToken, trustProxy } = config.get('http', { infer: true });
    this.enabled = config.get('metrics.enabled', { infer: true });
    this.token = metricsToken === null ? null : Buffer.from(metricsToken);
    this.loopbackAllowed = !trustProxy;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.enabled) throw new NotFoundException('Cannot GET /metrics');
    if (this.token === null) {
      if (this.loopbackAllowed && LOOPBACK.has(request.socket.remoteAddress ?? '')) return true;
      throw new NotFoundException('Cannot GET /metrics');
    }
    const sent = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    if (sent.length === this.token.length && timingSafeEqual(sent, this.token)) return true;
    throw new UnauthorizedException('GET /metrics needs the METRICS_TOKEN as a bearer token');
  }
}
