import { ExecutionContext, HttpException, Injectable, mixin, Type, UnauthorizedException } from '@nestjs/common';
import { AuthGuard, IAuthGuard } from '@nestjs/passport';
import { TokenExpiredError } from '@nestjs/jwt';
import { Actor } from '../../platform/request-context/request-context';
import { EXPIRED_TOKEN, INVALID_TOKEN, MISSING_TOKEN } from '../access-token-claims';
import { AppStrategyNames } from './app-strategy-names';

/**
 * The passport strategies tried, in order, for a request's credentials. Another kind of
 * credential (API keys) adds its strategy here. A strategy that does not recognize the credential
 * fails without a challenge, so the one that does decides the 401's message.
 */
export const ACCESS_STRATEGIES = ['access-token', 'api-key'];

export interface Authenticator {
  /** The caller the request's credentials name, or a 401 saying why not. */
  authenticate(context: ExecutionContext): Promise<Actor>;
}

/**
 * An @nestjs/passport AuthGuard over the given strategies, used by the AccessGuard to
 * authenticate (it enforces the rules itself). passport's failures are turned into Tenantry's 401s.
 */
export function bearerAuthentication(strategies: string[]): Type<IAuthGuard & Authenticator> {
  @Injectable()
  class BearerAuthentication extends AuthGuard(strategies) implements Authenticator {
    async authenticate(context: ExecutionContext): Promise<Actor> {
      await this.canActivate(context);
      return context.switchToHttp().getRequest<{ user: Actor }>().user;
    }

    override handleRequest<TUser>(error: unknown, user: TUser | false, challenges: unknown): TUser {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- passport hands on what a strategy threw: rethrown unchanged
      if (error) throw error;
      if (!user) throw unauthorized(challenges);
      return user;
    }
  }
  return mixin(BearerAuthentication);
}

/** The 401 for what the strategies said (one challenge, or one per strategy): our own first, then passport-jwt's. */
function unauthorized(challenges: unknown): HttpException {
  const reasons = [challenges].flat().filter((reason) => reason !== undefined && reason !== null);
  const ours = reasons.find((reason) => reason instanceof HttpException);
  if (ours) return ours;
  const [first] = reasons;
  if (first instanceof TokenExpiredError) return new UnauthorizedException(EXPIRED_TOKEN);
  // passport-jwt's words for a request without a bearer token.
  if (first instanceof Error && first.message === 'No auth token') return new UnauthorizedException(MISSING_TOKEN);
  return new UnauthorizedException(INVALID_TOKEN);
}

/** What requests authenticate with: ACCESS_STRATEGIES as this app registered them (see AppStrategyNames). */
export abstract class RequestAuthenticator implements Authenticator {
  abstract authenticate(context: ExecutionContext): Promise<Actor>;
}

export const requestAuthenticatorProvider = {
  provide: RequestAuthenticator,
  inject: [AppStrategyNames],
  useFactory: (names: AppStrategyNames): Authenticator => new (bearerAuthentication(ACCESS_STRATEGIES.map((name) => names.of(name))))(),
};
