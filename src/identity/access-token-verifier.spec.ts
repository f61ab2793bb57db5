import { UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { RevocationList } from '../control-plane/sessions/revocation-list';
import { AccessTokenVerifier } from './access-token-verifier';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const jwt = new JwtService({});
const verifierFor = (secret = SECRET, revocations = new RevocationList()) =>
  new AccessTokenVerifier(jwt, revocations, new ConfigService({ auth: { jwtSecret: secret } }));
const sign = (claims: object, options: { expiresIn?: number; secret?: string } = {}) =>
  jwt.sign(
    { sid: 'session-1', ...claims },
    {
      secret: options.secret ?? SECRET,
      algorithm: TOKEN_ALGORITHM,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    },
  );
const bearer = (token: string) => `Bearer ${token}`;
const refusal = (verify: () => unknown): string => {
  try {
    verify();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedException);
    return (error as UnauthorizedException).message;
  }
  throw new Error('expected a 401');
};

describe('AccessTokenVerifier', () => {
  afterEach(() => jest.useRealTimers());

  it('names the actor of a valid token, the same on every request that sends it', () => {
    const verifier = verifierFor();
    const token = sign({ sub: 'user-1', tid: 'tenant-1', roles: ['member'] }, { expiresIn: 60 });
    const expected = { userId: 'user-1', tenantId: 'tenant-1', sessionId: 'session-1', roles: ['member'] };
    expect(verifier.verify(bearer(token))).toEqual(expected);
    expect(verifier.verify(bearer(token))).toEqual(expected);
  });

  it('refuses a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z') });
    const verifier = verifierFor();
    const token = sign({ sub: 'user-1', roles: [] }, { expiresIn: 60 });
    expect(verifier.verify(bearer(token)).userId).toBe('user-1');
    jest.setSystemTime(new Date('2026-11-23T12:01:00Z'));
    expect(refusal(() => verifier.verify(bearer(token)))).toMatch(/expired/);
  });

  it('hands out a copy of the actor, so what one request adds to it does not reach the next', () => {
    const verifier = verifierFor();
    const token = sign({ sub: 'user-1', roles: ['member'] }, { expiresIn: 60 });
    const first = verifier.verify(bearer(token));
    first.platformRole = 'platform_admin';
    first.roles.push('owner');
    expect(verifier.verify(bearer(token))).toEqual({ userId: 'user-1', sessionId: 'session-1', roles: ['member'] });
  });

  it('refuses a token whose signature was altered after the genuine one was remembered', () => {
    const verifier = verifierFor();
    const token = sign({ sub: 'user-1', roles: ['member'] }, { expiresIn: 60 });
    verifier.verify(bearer(token));
    const [header, , signature] = token.split('.');
    const forged = [
      header,
      Buffer.from(JSON.stringify({ sub: 'user-1', roles: ['platform_admin'], exp: 4102444800 })).toString('base64url'),
      signature,
    ].join('.');
    expect(refusal(() => verifier.verify(bearer(forged)))).toMatch(/invalid/);
  });

  it('refuses a token that never expires, and one signed with another secret', () => {
    const verifier = verifierFor();
    expect(refusal(() => verifier.verify(bearer(sign({ sub: 'user-1', roles: [] }))))).toMatch(/invalid/);
    expect(
      refusal(() => verifier.verify(bearer(sign({ sub: 'user-1', roles: [] }, { expiresIn: 60, secret: `${SECRET}-other` })))),
    ).toMatch(/invalid/);
  });

  it('refuses a remembered token as soon as its session is revoked', () => {
    const revocations = new RevocationList();
    const verifier = verifierFor(SECRET, revocations);
    const token = sign({ sub: 'user-1', roles: [] }, { expiresIn: 60 });
    expect(verifier.verify(bearer(token)).userId).toBe('user-1');
    revocations.add({ sessionId: 'session-1', userId: null, tenantId: null, revokedBefore: Date.now() });
    expect(refusal(() => verifier.verify(bearer(token)))).toBe('The session has ended');
  });

  it('refuses a token that names no session, as issued before sessions could be revoked', () => {
    const token = jwt.sign(
      { sub: 'user-1', roles: [] },
      { secret: SECRET, algorithm: TOKEN_ALGORITHM, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: 60 },
    );
    expect(refusal(() => verifierFor().verify(bearer(token)))).toMatch(/invalid/);
  });
});
