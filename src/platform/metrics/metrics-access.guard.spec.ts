import { ExecutionContext, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../config/app-config';
import { MetricsAccessGuard } from './metrics-access.guard';

function guardWith(metricsToken: string | null, trustProxy = false, enabled = true): MetricsAccessGuard {
  const config = { get: (key: string) => (key === 'http' ? { metricsToken, trustProxy } : enabled) };
  return new MetricsAccessGuard(config as unknown as ConfigService<AppConfig, true>);
}

function from(remoteAddress: string, authorization?: string): ExecutionContext {
  const request = { socket: { remoteAddress }, headers: authorization ? { authorization } : {} };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe('MetricsAccessGuard', () => {
  it('without a token, lets loopback clients in and answers everyone else 404', () => {
    const guard = guardWith(null);
    expect(guard.canActivate(from('127.0.0.1'))).toBe(true);
    expect(guard.canActivate(from('::1'))).toBe(true);
    expect(() => guard.canActivate(from('10.0.0.7'))).toThrow(NotFoundException);
    expect(() => guard.canActivate(from('::ffff:192.168.1.2', 'Bearer anything'))).toThrow(NotFoundException);
  });

  it('behind a proxy, where every request comes from loopback, lets no one in without a token', () => {
    expect(() => guardWith(null, true).canActivate(from('127.0.0.1'))).toThrow(NotFoundException);
    expect(guardWith('scrape-token-0123456789', true).canActivate(from('127.0.0.1', 'Bearer scrape-token-0123456789'))).toBe(true);
  });

  it('with a token, wants exactly that bearer token from every client, loopback included', () => {
    const guard = guardWith('scrape-token-0123456789');
    expect(guard.canActivate(from('10.0.0.7', 'Bearer scrape-token-0123456789'))).toBe(true);
    expect(() => guard.canActivate(from('127.0.0.1'))).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(from('10.0.0.7', 'Bearer scrape-token-012345678'))).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(from('10.0.0.7', 'scrape-token-0123456789'))).toThrow(UnauthorizedException);
  });

  it('with METRICS=false, answers every client 404, loopback and token holders alike', () => {
    expect(() => guardWith(null, false, false).canActivate(from('127.0.0.1'))).toThrow(NotFoundException);
    const withToken = guardWith('scrape-token-0123456789', false, false);
    expect(() => withToken.canActivate(from('10.0.0.7', 'Bearer scrape-token-0123456789'))).toThrow(NotFoundException);
  });
});
