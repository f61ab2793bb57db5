import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import passport from 'passport';
import { Strategy } from 'passport-strategy';

/**
 * passport keeps strategies in one process-wide registry, but several Tenantry apps can live in one
 * process (the end-to-end tests start a second app beside the first): each app registers its
 * strategies under names of its own, so one app's requests never reach another app's services,
 * and takes them out when it stops. The plain name is registered too, for code that names a
 * strategy statically (the routing bench, one app per process).
 */
@Injectable()
export class AppStrategyNames implements OnApplicationShutdown {
  private readonly instance = randomUUID();
  private readonly registered: string[] = [];

  of(strategy: string): string {
    return `${strategy}#${this.instance}`;
  }

  register(name: string, strategy: Strategy): void {
    passport.use(this.of(name), strategy);
    passport.use(name, strategy);
    this.registered.push(this.of(name));
  }

  onApplicationShutdown(): void {
    for (const name of this.registered) passport.unuse(name);
  }
}
