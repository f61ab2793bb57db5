import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createOfflineOpenApiDocument } from './offline-openapi-document';
import { OPENAPI_DOCUMENT_PATH, serializeOpenApiDocument } from './openapi-file';

/** `npm run openapi:write`: writes the OpenAPI document to openapi/openapi.json, without a database or a server. */
async function main(): Promise<void> {
  const document = await createOfflineOpenApiDocument();
  await mkdir(dirname(OPENAPI_DOCUMENT_PATH), { recursive: true });
  await writeFile(OPENAPI_DOCUMENT_PATH, serializeOpenApiDocument(document));
  process.stdout.write(`Wrote ${OPENAPI_DOCUMENT_PATH}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi:write failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
