import { ConflictException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Actor } from '../platform/request-context/request-context';
import { AppConfig } from '../platform/config/app-config';
import { LoginThrottleService } from '../control-plane/sessions/login-throttle.service';
import { IssuedRefreshToken, SessionsService, SessionSubject } from '../control-plane/sessions/sessions.service';
import { Membership, MembershipDirectory } from '../control-plane/memberships/membership-directory';
import { TenantLookup } from '../control-plane/tenants/tenant-lookup.service';
import { UserAccount } from '../control-plane/users/user-account';
import { PasswordHasher } from '../control-plane/users/password-hasher';
import { UsersService } from '../control-plane/users/users.service';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';
import { LoginDto, SwitchTenantDto } from './dto/login.dto';
import { MeDto, SignedInTenantDto, TenantRefDto, TokenResponseDto } from './dto/token-response.dto';
import { MfaChallengeDto } from './mfa/dto/mfa-responses.dto';
import { MfaGate } from './mfa/mfa-gate';
import { MembershipCache } from '../control-plane/tenant-binding/membership-cache';
import { describedTenantPermissions } from '../platform/access/tenant-permissions';

const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  private readonly accessTtlSeconds: number;

  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantLookup,
    private readonly memberships: MembershipDirectory,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottleService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly mfa: MfaGate,
    private readonly access: MembershipCache,
    config: ConfigService<AppConfig, true>,
  ) {
    this.accessTtlSeconds = config.get('auth.accessTtlSeconds', { infer: true });
  }

  async login(dto: LoginDto, clientIp: string | undefined): Promise<TokenResponseDto | MfaChallengeDto> {
    const attempt = { email: dto.email, clientIp };
    await this.throttle.assertAllowed(attempt);
    const user = await this.users.findForLogin(dto.email);
    // The hash is verified even for unknown emails, so both failures take the same time.
    const passwordOk = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !passwordOk || user.status !== 'active') {
      await this.throttle.recordFailure({ ...attempt, userId: user?.id });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    // With a second factor the password alone proves little: the failure count stands until the code is right too.
    const challenge = await this.mfa.challenge(user, dto.tenant);
    if (challenge) return challenge;
    await this.throttle.recordSuccess(attempt);
    return this.signIn(user, dto.tenant);
  }

  /** A new session for a user whose credentials (and second factor, if any) were checked. */
  async signIn(user: UserAccount, tenantReference: string | undefined): Promise<TokenResponseDto> {
    const membership = await this.chooseTenant(user, tenantReference);
    const subject = { userId: user.id, tenantId: membership?.tenant.id ?? null };
    return this.tokens(user, membership, await this.sessions.start(subject, 'auth.login'));
  }

  async refresh(presented: string): Promise<TokenResponseDto> {
    const consumed = await this.sessions.consume(presented);
    try {
      const { user, membership } = await this.revalidate(consumed);
      return await this.tokens(user, membership, await this.sessions.rotate(consumed));
    } catch (error) {
      await this.sessions.revokeFamilyOf(consumed);
      throw error;
    }
  }

  /** The tenant is checked before the refresh token is used up, so a refused switch leaves the caller signed in. */
  async switchTenant(actor: Actor, dto: SwitchTenantDto): Promise<TokenResponseDto> {
    const user = await this.activeUser(actor.userId);
    const membership = await this.chooseTenant(user, dto.tenant);
    const consumed = await this.sessions.consume(dto.refreshToken);
    await this.sessions.revokeFamilyOf(consumed);
    if (consumed.userId !== actor.userId) throw new UnauthorizedException('Refresh token belongs to another user');
    const session = await this.sessions.start({ userId: user.id, tenantId: membership?.tenant.id ?? null }, 'auth.switch_tenant');
    return this.tokens(user, membership, session);
  }

  logout(presented: string): Promise<void> {
    return this.sessions.end(presented);
  }

  async me(actor: Actor): Promise<MeDto> {
    const user = await this.activeUser(actor.userId);
    const memberships = await this.memberships.membershipsOf(user.id);
    const current = memberships.find((membership) => membership.tenant.id === actor.tenantId);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      platformRole: user.platformRole,
      tenant: current ? await this.signedInTenant(user.id, current) : null,
      memberships: memberships.map((membership) => ({ ...tenantRef(membership), status: membership.tenant.status })),
      mfaEnabled: await this.mfa.isEnabled(user.id),
    };
  }

  /** What the role grants comes from where the access guard of /api routes reads it, so the two never disagree. */
  private async signedInTenant(userId: string, membership: Membership): Promise<SignedInTenantDto> {
    const granted = (await this.access.accessOf(userId, membership.tenant.id))?.permissions ?? [];
    // A permission no longer in the catalog guards no route, so it is not listed.
    return { ...tenantRef(membership), permissions: describedTenantPermissions(granted) };
  }

  /**
   * The tenant to sign into: the one asked for, or the only one the user belongs to.
   * Not being a member and the tenant not existing answer alike, so nothing leaks.
   */
  private async chooseTenant(user: UserAccount, reference: string | undefined): Promise<Membership | null> {
    if (reference === undefined) {
      const memberships = await this.memberships.membershipsOf(user.id);
      if (memberships.length === 1 && !user.platformRole) return usable(memberships[0]);
      return null;
    }
    const tenant = await this.tenants.findByReference(reference);
    const membership = tenant ? await this.memberships.membership(user.id, tenant.id) : null;
    if (!membership) throw new ForbiddenException(`You are not a member of tenant "${reference}"`);
    return usable(membership);
  }

  private async revalidate(subject: SessionSubject): Promise<{ user: UserAccount; membership: Membership | null }> {
    const user = await this.activeUser(subject.userId);
    if (!subject.tenantId) return { user, membership: null };
    const membership = await this.memberships.membership(user.id, subject.tenantId);
    if (!membership) throw new UnauthorizedException('You are no longer a member of this tenant');
    return { user, membership: usable(membership) };
  }

  private async activeUser(userId: string): Promise<UserAccount> {
    const user = await this.users.findActive(userId);
    if (!user) throw new UnauthorizedException('The account is disabled or no longer exists');
    return user;
  }

  private async tokens(
    user: UserAccount,
    membership: Membership | null,
    { refreshToken, sessionId }: IssuedRefreshToken,
  ): Promise<TokenResponseDto> {
    const roles = [...(user.platformRole ? [user.platformRole] : []), ...(membership ? [membership.role] : [])];
    const scope = await this.mfa.accessScope(user);
    const claims: AccessTokenClaims = {
      sub: user.id,
      sid: sessionId,
      roles,
      ...(membership ? { tid: membership.tenant.id } : {}),
      ...(scope ? { scope } : {}),
      // In milliseconds (a fractional NumericDate, as RFC 7519 allows), so a revocation and a
      // login in the same second are told apart: see RevocationList.
      iat: Date.now() / 1000,
    };
    const accessToken = this.jwt.sign(claims, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: this.accessTtlSeconds,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTtlSeconds,
      refreshToken,
      tenant: membership ? tenantRef(membership) : null,
      roles,
      ...(scope ? { scope } : {}),
    };
  }
}

/** Only an active tenant can be signed into; the status decides the answer. */
function usable(membership: Membership): Membership {
  const { status, slug } = membership.tenant;
  if (status === 'active') return membership;
  if (status === 'provisioning') throw new ConflictException(`Tenant "${slug}" is still being provisioned; try again shortly`);
  throw new ForbiddenException(`Tenant "${slug}" is ${status}`);
}

function tenantRef({ tenant, role }: Membership): TenantRefDto {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, role };
}
