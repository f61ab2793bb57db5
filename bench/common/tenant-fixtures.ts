import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/identity/access-token';
import { SmtpMailbox } from './smtp-mailbox';

export const BENCH_ADMIN = { email: 'bench-admin@tenantry.test', password: 'bench-admin-password' };
const BENCH_MEMBER = { email: 'bench-member@tenantry.test', password: 'bench-member-password', name: 'Bench member' };

/** Talks to the real API to set a benchmark up; throws on any unexpected answer. */
export class TenantFixtures {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly jwt: JwtService,
    private readonly memberId: string,
    private readonly memberSession: string,
    private readonly mailbox: SmtpMailbox,
  ) {}

  /**
   * Logs in as the platform admin and opens the account of the one user who is a member of every
   * bench tenant, as people do: invited by mail, accepting with a password of their own.
   */
  static async connect(app: { url: string; jwtSecret: string; mailbox: SmtpMailbox }): Promise<TenantFixtures> {
    const login = await call(app.url, 'POST', '/auth/login', BENCH_ADMIN);
    await call(app.url, 'POST', '/control/invitations', { email: BENCH_MEMBER.email }, login.accessToken);
    const invitation = SmtpMailbox.tokenIn(await app.mailbox.take(BENCH_MEMBER.email));
    const member = await call(app.url, 'POST', '/auth/invitations/accept', {
      token: invitation,
      password: BENCH_MEMBER.password,
      name: BENCH_MEMBER.name,
    });
    const memberLogin = await call(app.url, 'POST', '/auth/login', { email: BENCH_MEMBER.email, password: BENCH_MEMBER.password });
    return new TenantFixtures(
      app.url,
      login.accessToken as string,
      new JwtService({ secret: app.jwtSecret }),
      member.userId as string,
      memberLogin.accessToken as string,
      app.mailbox,
    );
  }

  /** Registers the benchmark's PostgreSQL for dedicated databases and creates one pooled database. */
  async registerInfrastructure(adminUrl: string, maxTenants: number): Promise<{ serverId: string; poolId: string }> {
    const url = new URL(adminUrl);
    const server = await call(
      this.baseUrl,
      'POST',
      '/control/database-servers',
      {
        name: `bench-${randomBytes(3).toString('hex')}`,
        host: url.hostname,
        port: Number(url.port || 5432),
        adminUser: decodeURIComponent(url.username),
        adminPassword: decodeURIComponent(url.password),
        maxDatabases: maxTenants,
      },
      this.token,
    );
    const pool = await call(
      this.baseUrl,
      'POST',
      '/control/tenant-pools',
      {
        name: `bench_${randomBytes(3).toString('hex')}`,
        databaseServerId: server.id,
        maxTenants,
      },
      this.token,
    );
    return { serverId: server.id, poolId: pool.id };
  }

  /** Registers a tenant, waits until it is provisioned, and has the bench member accept the invitation to be its admin. */
  async createTenant(placement: 'pooled' | 'dedicated' | 'byod', plan = 'starter'): Promise<string> {
    const id = await this.submitTenant(placement, plan);
    const { slug } = await this.waitUntilActive(id);
    const invitation = SmtpMailbox.tokenIn(await this.mailbox.take(BENCH_MEMBER.email, new RegExp(`invited to ${slug}$`)));
    await call(this.baseUrl, 'POST', '/auth/invitations/accept-existing', { token: invitation }, this.memberSession);
    return id;
  }

  /** POST /control/tenants (answered 202, the bench member invited as admin); returns the new tenant's id without waiting. */
  async submitTenant(placement: 'pooled' | 'dedicated' | 'byod', plan = 'starter'): Promise<string> {
    const slug = `b${randomBytes(6).toString('hex')}`;
    const tenant = await call(
      this.baseUrl,
      'POST',
      '/control/tenants',
      { slug, name: slug, plan, placement, admin: { email: BENCH_MEMBER.email } },
      this.token,
    );
    return tenant.id as string;
  }

  /** Polls GET /control/tenants/:id until the tenant is active; throws if provisioning failed. */
  async waitUntilActive(tenantId: string, pollMs = 20): Promise<TenantDetail> {
    for (;;) {
      const current = (await call(this.baseUrl, 'GET', `/control/tenants/${tenantId}`, undefined, this.token)) as TenantDetail;
      if (current.status === 'active') return current;
      if (current.status !== 'provisioning') throw new Error(`tenant ${current.slug} ended ${current.status}: ${current.failureReason}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** A control-plane call as the platform admin. */
  control(method: string, path: string, body?: unknown): Promise<any> {
    return call(this.baseUrl, method, path, body, this.token);
  }

  /** The bench member's access token for a tenant, signed as the app signs them (no login round trips). */
  memberToken(tenantId: string): string {
    return this.jwt.sign(
      // A session id of its own: no login made it, so nothing can revoke it.
      { sub: this.memberId, sid: randomUUID(), tid: tenantId, roles: ['member'] },
      { algorithm: TOKEN_ALGORITHM, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: 3600 },
    );
  }

  async createNote(token: string): Promise<string> {
    const note = await call(this.baseUrl, 'POST', '/api/notes', { title: 'benchmark note', body: 'x'.repeat(200) }, token);
    return note.id as string;
  }
}

export interface TenantDetail {
  slug: string;
  status: string;
  failureReason: string | null;
  createdAt: string;
  provisioning: Array<{ attempt: number; step: string; status: string; finishedAt: string | null; durationMs: number | null }>;
}

export async function call(baseUrl: string, method: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(payload)}`);
  return payload;
}
