import { adminToken, loginAs, tenantWithUsers } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** Names of hosting details: platform admins see them on /control, nobody sees them on /api. */
const INFRASTRUCTURE_KEYS = [
  'databaseName',
  'databaseServerId',
  'databaseRole',
  'tenantPoolId',
  'schemaVersion',
  'provisioning',
  'failureReason',
];

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };

/** Every property name a response schema can contain, following $refs, arrays and compositions. */
function propertyNames(schema: Schema | undefined, schemas: Record<string, Schema>, seen = new Set<string>()): string[] {
  if (!schema) return [];
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return [];
    seen.add(schema.$ref);
    return propertyNames(schemas[schema.$ref.replace('#/components/schemas/', '')], schemas, seen);
  }
  const nested = [
    schema.items,
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...Object.values(schema.properties ?? {}),
  ];
  return [...Object.keys(schema.properties ?? {}), ...nested.flatMap((child) => propertyNames(child, schemas, seen))];
}

describe('tenant profile and /api answers', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp({ openApiDocs: true });
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  it.each(['pooled', 'dedicated'])('shows a member of a %s tenant its profile without any hosting detail', async (placement) => {
    const { tenant, member } = await tenantWithUsers(t.api, platformAdmin, { placement });
    const token = (await loginAs(t.api, member.email, member.password)).accessToken;
    const response = await t.api.get('/api/tenant', { token });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual([
      'createdAt',
      'enabledModules',
      'id',
      'name',
      'placement',
      'plan',
      'settings',
      'slug',
      'status',
    ]);
    expect(response.body).toMatchObject({ id: tenant.id, slug: tenant.slug, placement, status: 'active', plan: 'starter' });
    for (const key of INFRASTRUCTURE_KEYS) expect(response.body).not.toHaveProperty(key);

    const [hosting] = await t.sql(
      `SELECT t.database_name, t.database_role, t.database_server_id, t.tenant_pool_id, p.database_name AS pool_database
         FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1`,
      [tenant.id],
    );
    const answered = JSON.stringify(response.body);
    for (const value of Object.values(hosting).filter((value): value is string => typeof value === 'string'))
      expect(answered).not.toContain(value);
  });

  it('documents no hosting detail in any /api answer', async () => {
    const spec = (await t.api.get('/docs-json')).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
      components: { schemas: Record<string, Schema> };
    };
    const leaks = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).flatMap(([method, operation]) =>
          Object.values(operation.responses ?? {})
            .flatMap((response) => Object.values(response.content ?? {}))
            .flatMap((content) => propertyNames(content.schema, spec.components.schemas))
            .filter((name) => INFRASTRUCTURE_KEYS.includes(name))
            .map((name) => `${method.toUpperCase()} ${path}: ${name}`),
        ),
      );
    expect(Object.keys(spec.paths).filter((path) => path.startsWith('/api/')).length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
