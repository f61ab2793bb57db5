import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  ParseUUIDPipe,
  UseGuards,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../../src/platform/access/access.decorators';
import { CurrentActor } from '../../src/platform/access/current-actor.decorator';
import { Actor } from '../../src/platform/request-context/request-context';
import { AccessTokenVerifier } from '../../src/identity/access-token-verifier';
import { AuthModule } from '../../src/identity/auth.module';
import { bearerAuthentication } from '../../src/identity/strategies/bearer-authentication';
import { findNote, SINGLE_DATA_SOURCE, SingleTenantBaselineModule } from './single-tenant-baseline.module';

/**
 * The same GETs authenticated three ways, each in a route guard so all three pay the same guard
 * pipeline: one note by id from one DataSource (a realistic request), and `/whoami` answering
 * the caller's id from memory (authentication is then most of the work: the cost's upper bound).
 *   direct     — AccessTokenVerifier called directly, as the AccessGuard did before passport
 *   passport   — @nestjs/passport's AuthGuard over the `access-token` strategy (the verifier behind
 *                passport's interface): what requests use
 *   passportJwt — @nestjs/passport's AuthGuard over passport-jwt, verifying every token afresh
 * Mounted beside Tenantry in the benchmark's process only. The global AccessGuard lets them
 * through (@Public), so only the authentication differs.
 */
@Injectable()
class DirectVerifierGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    request.user = this.verifier.verify(request.headers.authorization);
    return true;
  }
}

function authenticatedController(path: string, guard: new (...args: never[]) => CanActivate) {
  @Controller(`bench/auth/${path}`)
  @Public()
  @UseGuards(guard)
  class AuthenticatedNotesController {
    constructor(@Inject(SINGLE_DATA_SOURCE) private readonly dataSource: DataSource) {}

    @Get('notes/:id')
    note(@Param('id', ParseUUIDPipe) id: string) {
      return findNote(this.dataSource, id);
    }

    @Get('whoami')
    whoami(@CurrentActor() actor: Actor) {
      return { userId: actor.userId };
    }
  }
  return AuthenticatedNotesController;
}

@Module({
  imports: [AuthModule, SingleTenantBaselineModule],
  controllers: [
    authenticatedController('direct', DirectVerifierGuard),
    authenticatedController('passport', bearerAuthentication(['access-token'])),
    authenticatedController('passport-jwt', bearerAuthentication(['jwt'])),
  ],
  providers: [DirectVerifierGuard],
})
export class AuthenticationPathsModule {}

export const BENCH_MODULE = AuthenticationPathsModule;
