import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/access-token';

export const BENCH_ADMIN = { email: 'bench-admin@tenantry.test', password: 'bench-admin-password' };
const BENCH_MEMBER = { email: 'bench-member@tenantry.test', password: 'bench-member-password', name: 'Bench member' };

/** Talks to the real API to set a benchmark up; throws on any unexpected answer. */
export class TenantFixtures {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly jwt: JwtService,
    private readonly memberId: string,
  ) {}

  /** Logs in as the platform admin and creates the one user who is a member of every bench tenant. */
  static async connect(baseUrl: string, jwtSecret: string): Promise<TenantFixtures> {
    const login = await call(baseUrl, 'POST', '/auth/login', BENCH_ADMIN);
    const member = await call(baseUrl, 'POST', '/control/users', BENCH_MEMBER, login.accessToken);
    return new TenantFixtures(baseUrl, login.accessToken as string, new JwtService({ secret: jwtSecret }), member.id as string);
  }

  /** Registers the benchmark's PostgreSQL for dedicated databases and creates one pooled database. */
  async registerInfrastructure(adminUrl: string, maxTenants: number): Promise<{ serverId: string; poolId: string }> {
    const url = new URL(adminUrl);
    const server = await call(this.baseUrl, 'POST', '/control/database-servers', {
      name: `bench-${randomBytes(3).toString('hex')}`,
      host: url.hostname,
      port: Number(url.port || 5432),
      adminUser: decodeURIComponent(url.username),
      adminPassword: decodeURIComponent(url.password),
      maxDatabases: maxTenants,
    }, this.token);
    const pool = await call(this.baseUrl, 'POST', '/control/tenant-pools', {
      name: `bench_${randomBytes(3).toString('hex')}`,
      databaseServerId: server.id,
      maxTenants,
    }, this.token);
    return { serverId: server.id, poolId: pool.id };
  }

  /** Registers a tenant with the bench member as its admin and waits until it is provisioned. */
  async createTenant(placement: 'pooled' | 'dedicated' | 'byod', plan = 'starter'): Promise<string> {
    const id = await this.submitTenant(placement, plan);
    await this.waitUntilActive(id);
    return id;
  }

  /** POST /control/tenants (answered 202); returns the new tenant's id without waiting. */
  async submitTenant(placement: 'pooled' | 'dedicated' | 'byod', plan = 'starter'): Promise<string> {
    const slug = `b${randomBytes(6).toString('hex')}`;
    const tenant = await call(this.baseUrl, 'POST', '/control/tenants', { slug, name: slug, plan, placement, admin: { email: BENCH_MEMBER.email } }, this.token);
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
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(payload)}`);
  return payload;
}
