import { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';

/** Where the committed document lives: the typed client (packages/client) is generated from it. */
export const OPENAPI_DOCUMENT_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');

/** Stable text of the document, so regenerating an unchanged API changes no byte of the file. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
