import { Injectable } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';
import { AppStrategyNames } from './app-strategy-names';

/**
 * API keys (`tnt_live_…`, `tnp_live_…`) presented as bearer tokens. A bearer of another shape is
 * left to the other strategies; a recognized but bad key fails with its own 401.
 */
@Injectable()
export class ApiKeyStrategy extends Strategy {
  constructor(
    private readonly keys: ApiKeyAuthenticator,
    names: AppStrategyNames,
  ) {
    super();
    names.register('api-key', this);
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
