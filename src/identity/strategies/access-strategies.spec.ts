import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../platform/config/app-config';
import { RevocationList } from '../../control-plane/sessions/revocation-list';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../access-token';
import { AccessTokenVerifier } from '../access-token-verifier';
import { AccessTokenStrategy } from './access-token.strategy';
import { AppStrategyNames } from './app-strategy-names';
import { bearerAuthentication } from './bearer-authentication';
import { JwtAccessTokenStrategy } from './jwt.strategy';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const config = new ConfigService({ auth: { jwtSecret: SECRET } }) as unknown as ConfigService<AppConfig, true>;
const jwt = new JwtService({});
const revocations = new RevocationList();
new AccessTokenStrategy(new AccessTokenVerifier(jwt, revocations, config), new AppStrategyNames());
new JwtAccessTokenStrategy(revocations, config);

const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'user-1', sid: 'session-1', tid: 'tenant-1', roles: ['member'], iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const craft = (header: object, payload: object, secret: string | undefined = SECRET) => {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${secret ? createHmac('sha256', secret).update(unsigned).digest('base64url') : ''}`;
};
const HS256 = { alg: TOKEN_ALGORITHM, typ: 'JWT' };
const live = (extra: object = {}) => craft(HS256, { ...claims, iat: now(), exp: now() + 60, ...extra });

function contextFor(authorization?: string): ExecutionContext {
  const request = { headers: authorization === undefined ? {} : { authorization } };
  return { switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }) } as unknown as ExecutionContext;
}

/** What an authenticator answers: the actor, or the 401's message. */
async function outcome(strategy: string, authorization?: string): Promise<unknown> {
  const authenticator = new (bearerAuthentication([strategy]))();
  try {
    return await authenticator.authenticate(contextFor(authorization));
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedException);
    return (error as Error).message;
  }
}

describe('access-token strategies', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['no header', undefined, 'Missing bearer access token'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Missing bearer access token'],
    ['expired', `Bearer ${live({ iat: now() - 3600, exp: now() - 60 })}`, 'Access token has expired'],
    ['no expiry', `Bearer ${craft(HS256, { ...claims, iat: now() })}`, 'Access token is invalid'],
    ['no session', `Bearer ${live({ sid: undefined })}`, 'Access token is invalid'],
    [
      'alg none',
      `Bearer ${craft({ alg: 'none', typ: 'JWT' }, { ...claims, iat: now(), exp: now() + 60 }, undefined)}`,
      'Access token is invalid',
    ],
    ['HS512', `Bearer ${jwt.sign({ ...claims }, { secret: SECRET, algorithm: 'HS512', expiresIn: 60 })}`, 'Access token is invalid'],
    ['another secret', `Bearer ${craft(HS256, { ...claims, iat: now(), exp: now() + 60 }, `${SECRET}-other`)}`, 'Access token is invalid'],
    ['wrong issuer', `Bearer ${live({ iss: 'someone-else' })}`, 'Access token is invalid'],
    ['wrong audience', `Bearer ${live({ aud: 'someone-else' })}`, 'Access token is invalid'],
    ['garbage', 'Bearer not.a.jwt', 'Access token is invalid'],
    ['not a JWT at all', 'Bearer garbage', 'Access token is invalid'],
  ];

  it.each(cases)(
    'answers a token with %s the same through passport-jwt and through the cached verifier',
    async (_name, authorization, message) => {
      expect(await outcome('jwt', authorization)).toBe(message);
      expect(await outcome('access-token', authorization)).toBe(message);
    },
  );

  it('names the same actor through both, and refuses both once the session is revoked', async () => {
    const authorization = `Bearer ${live({ sid: 'session-revoked-later' })}`;
    const actor = { userId: 'user-1', tenantId: 'tenant-1', sessionId: 'session-revoked-later', roles: ['member'] };
    expect(await outcome('jwt', authorization)).toEqual(actor);
    expect(await outcome('access-token', authorization)).toEqual(actor);
    revocations.add({ sessionId: 'session-revoked-later', userId: null, tenantId: null, revokedBefore: Date.now() });
    expect(await outcome('jwt', authorization)).toBe('The session has ended');
    expect(await outcome('access-token', authorization)).toBe('The session has ended');
  });
});
