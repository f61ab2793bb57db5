import { UnsupportedMediaTypeException } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

export const IMPORT_MEDIA_TYPES = ['text/csv', 'application/x-ndjson'];
const IMPORT_ROUTE = '/api/imports';

/**
 * Hands an import's body to its route as the request stream itself, unparsed and unbuffered (the
 * route stores it as it arrives and caps its size). Every other route keeps answering these media
 * types with 415, as it did before.
 */
export function acceptImportUploads(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(IMPORT_MEDIA_TYPES, (request, payload, done) => {
    if (request.routeOptions.url !== IMPORT_ROUTE) {
      done(new UnsupportedMediaTypeException('Request bodies must be JSON: send content-type application/json'), undefined);
      return;
    }
    done(null, payload);
  });
}
