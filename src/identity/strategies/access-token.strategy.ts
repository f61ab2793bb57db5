import { Injectable } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import { AccessTokenVerifier } from '../access-token-verifier';
import { bearerTokenOf } from '../access-token-claims';
import { AppStrategyNames } from './app-strategy-names';

/** Three base64url segments: the shape of a JWS. A bearer of another shape is left to the other strategies. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Access tokens through AccessTokenVerifier, which remembers tokens it has verified: the same
 * checks and answers as the passport-jwt strategy, without verifying the signature again on every
 * request. The strategy requests use (see ACCESS_STRATEGIES).
 */
@Injectable()
export class AccessTokenStrategy extends Strategy {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    names: AppStrategyNames,
  ) {
    super();
    names.register('access-token', this);
  }

  override authenticate(request: { headers: Record<string, string | string[] | undefined> }): void {
    const authorization = request.headers.authorization;
    const token = bearerTokenOf(authorization);
    if (token && !JWT_SHAPE.test(token)) return this.fail(undefined, 401);
    try {
      this.success(this.verifier.verify(authorization));
    } catch (error) {
      this.fail(error, 401);
    }
  }
}
