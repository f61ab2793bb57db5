import { BadRequestException } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { findNulInJson, findNulOutsideBody } from './nul-finder';

/**
 * Refuses hostile input for every route at once, on the Fastify instance, before any Nest guard,
 * pipe or handler runs (so a refused login counts no failure and a refused switch-tenant revokes
 * nothing):
 * - JSON bodies nested deeper than MAX_JSON_DEPTH are refused before they are parsed (400);
 * - U+0000 anywhere the app reads a string (path, query, headers, any key or value of the body) is a 400
 *   naming where it was: the body's as it is parsed, the rest in a preValidation hook.
 * Errors thrown here reach HttpErrorFilter like any other, so the answer has the standard shape.
 */
export function refuseHostileInput(fastify: FastifyInstance): void {
  // Fastify's own JSON parser (bodyLimit, __proto__ and constructor poisoning refused), behind a depth check.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new BadRequestException({
          message: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`,
          details: [{ field: 'body', problems: [`must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`] }],
        }),
        undefined,
      );
      return;
    }
    parseJson(request, text, (error, parsed) => {
      // JSON can only spell NUL as \u0000 (a raw one is invalid), so most bodies need no walk.
      const field = error || !text.includes('\\u0000') ? undefined : findNulInJson(parsed);
      if (field !== undefined) done(nulRefusal(field), undefined);
      else done(error, parsed);
    });
  });

  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    const field = findNulOutsideBody(request);
    if (field !== undefined) throw nulRefusal(field);
  });
}

function nulRefusal(field: string): BadRequestException {
  return new BadRequestException({
    message: 'Input must not contain the NUL character (U+0000)',
    details: [{ field, problems: ['must not contain U+0000'] }],
  });
}
