import { Injectable } from '@nestjs/common';
import passport from 'passport';
import { Strategy } from 'passport-strategy';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';

/**
 * API keys (`tnt_live_…`, `tnp_live_…`) presented as bearer tokens. A bearer of another shape is
 * left to the other strategies; a recognized but bad key fails with its own 401.
 */
@Injectable()
export class ApiKeyStrategy extends Strategy {
  readonly name = 'api-key';

  constructor(private readonly keys: ApiKeyAuthenticator) {
    super();
    passport.use(this);
  }

  override authenticate(request: { headers: Record<string, string | string[] | undefined> }): void {
    const key = ApiKeyAuthenticator.keyIn(request.headers.authorization);
    if (!key) return this.fail(undefined, 401);
    this.keys.authenticate(key).then(
      (actor) => this.success(actor),
      (error: unknown) => this.fail(error, 401),
    );
  }
}
