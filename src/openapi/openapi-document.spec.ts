import { OpenAPIObject } from '@nestjs/swagger';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateEnvironment } from '../platform/config/environment';
import { createOfflineOpenApiDocument } from './offline-openapi-document';
import { OPENAPI_DOCUMENT_PATH, serializeOpenApiDocument } from './openapi-file';
import { operationsOf } from './operations';
import { mappableEntities } from '../platform/tenant-modules/mappable-entities';

const ROOT = join(__dirname, '..', '..');
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const OPENAPI_TYPESCRIPT = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const CLIENT_SCHEMA_PATH = join(ROOT, 'packages', 'client', 'schema.d.ts');
const REGENERATE = 'run `npm run client:generate` and commit openapi/openapi.json and packages/client/schema.d.ts';
const run = promisify(execFile);
const quietTools = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  let directory: string;
  let documentFile: string;

  beforeAll(async () => {
    document = await createOfflineOpenApiDocument();
    directory = await mkdtemp(join(tmpdir(), 'tenantry-openapi-'));
    documentFile = join(directory, 'openapi.json');
    await writeFile(documentFile, serializeOpenApiDocument(document));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it("passes Redocly's recommended rules (redocly.yaml) without an error", async () => {
    const { stdout } = await run(
      process.execPath,
      [REDOCLY, 'lint', documentFile, '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
      {
        cwd: ROOT,
        env: quietTools,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((failure: { stdout?: string }) => ({ stdout: failure.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string; severity: string }>;
    };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId}: ${problem.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it(`is committed as openapi/openapi.json exactly as the code builds it (else ${REGENERATE})`, async () => {
    const committed = await readFile(OPENAPI_DOCUMENT_PATH, 'utf8').catch(() => '');
    if (committed !== serializeOpenApiDocument(document))
      throw new Error(`openapi/openapi.json is not the document the code builds: ${REGENERATE}`);
  });

  it(`matches the committed typed client schema (else ${REGENERATE})`, async () => {
    const { stdout: generated } = await run(process.execPath, [OPENAPI_TYPESCRIPT, documentFile], {
      cwd: ROOT,
      env: quietTools,
      maxBuffer: 64 * 1024 * 1024,
    });
    const committed = await readFile(CLIENT_SCHEMA_PATH, 'utf8').catch(() => '');
    if (committed !== generated)
      throw new Error(`packages/client/schema.d.ts is not what openapi-typescript generates from the current API: ${REGENERATE}`);
  });

  it('gives every operation a summary and an operationId of its own', () => {
    const operations = [...operationsOf(document)];
    expect(operations.filter(({ operation }) => !operation.summary).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(operations.length);
  });

  it("documents a byod tenant's answers on the routes its own system serves, and only there", () => {
    const answer = (path: string, method: 'get' | 'post', status: string) => {
      const response = document.paths[path][method]?.responses[status];
      return response && 'description' in response ? response.description : '';
    };
    expect(answer('/api/inventory/items', 'post', '403')).toContain('its data source is read-only');
    expect(answer('/api/accounts', 'get', '403')).not.toContain('read-only');
    expect(answer('/api/contacts', 'get', '409')).toContain('not mapped onto its system');
    expect(answer('/api/accounts', 'get', '503')).toContain('circuit breaker');
    expect(answer('/api/notes', 'get', '503')).not.toContain('byod');
  });

  it('gives every mappable entity a mapping schema naming each field a mapping may use, from the declarations', () => {
    const schemas = document.components!.schemas! as Record<string, { allOf?: Array<{ properties?: Record<string, any> }> }>;
    const entities = (schemas.EntityMappingsDto as { properties: Record<string, { $ref: string }> }).properties;
    for (const [entity, fields] of Object.entries(mappableEntities())) {
      const schema = entities[entity].$ref.split('/').pop()!;
      expect(Object.keys(schemas[schema].allOf![1].properties!.fields.properties)).toEqual(Object.keys(fields));
    }
    const price = schemas.InventoryItemMapping.allOf![1].properties!.fields.properties.price_selling_minor;
    expect(price.description).toContain('minor units');
  });

  it('pre-fills no list filter with an example, so "Try it out" sends only what the user typed', () => {
    const prefilled = [...operationsOf(document)].flatMap(({ method, path, operation }) =>
      (operation.parameters ?? [])
        .filter(
          (parameter) =>
            'in' in parameter &&
            parameter.in === 'query' &&
            (parameter.example !== undefined || parameter.examples || (parameter.schema && 'example' in parameter.schema)),
        )
        .map((parameter) => `${method} ${path} ?${'name' in parameter ? parameter.name : ''}`),
    );
    expect(prefilled).toEqual([]);
  });

  it('offers "Try it out" on POST /auth/login a body for the admin a fresh start creates (the default ADMIN_EMAIL)', () => {
    const body = document.paths['/auth/login'].post?.requestBody;
    const examples = body && 'content' in body ? (body.content['application/json'].examples ?? {}) : {};
    const values = Object.values(examples).map((example) => ('value' in example ? example.value : undefined));
    expect(values).toEqual([expect.objectContaining({ email: validateEnvironment({}).ADMIN_EMAIL })]);
  });

  it('declares every number an integer: counts, durations and money in minor units are whole', () => {
    const numbers: string[] = [];
    const visit = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      if ((node as { type?: unknown }).type === 'number') numbers.push(at);
      for (const [key, child] of Object.entries(node)) visit(child, `${at}/${key}`);
    };
    visit(document, '#');
    expect(numbers).toEqual([]);
  });
});
