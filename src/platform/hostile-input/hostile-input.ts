import { BadRequestException } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { findLoneSurrogateInJson } from './lone-surrogate';
import { findNulInJson, findNulOutsideBody } from './nul-finder';

/**
 * Refuses hostile input for every route at once, on the Fastify instance, before any Nest guard,
 * pipe or handler runs (so a refused login counts no failure and a refused switch-tenant revokes
 * nothing):
 * - JSON bodies nested deeper than MAX_JSON_DEPTH are refused before they are parsed (400);
 * - U+0000 anywhere the app reads a string (path, query, headers, any key or value of the body) is a 400
 *   naming where it was: the body's as it is parsed, the rest in a preValidation hook;
 * - an unpaired surrogate (`\uD800`) in any key or value of a JSON body is a 400 naming where it was.
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
    // Fastify types parsers as possibly async; its default one answers through the callback.
    void parseJson(request, text, (error, parsed) => {
      if (error) return done(error, undefined);
      // JSON can only spell NUL as \u0000 (a raw one is invalid), so most bodies need no walk.
      const nul = text.includes('\\u0000') ? findNulInJson(parsed) : undefined;
      if (nul !== undefined) return done(nulRefusal(nul), undefined);
      const surrogate = findLoneSurrogateInJson(text, parsed);
      if (surrogate !== undefined) return done(loneSurrogateRefusal(surrogate), undefined);
      done(null, parsed);
    });
  });

  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    const field = findNulOutsideBody(request);
    if (field !== undefined) throw nulRefusal(field);
  });
}

function loneSurrogateRefusal(field: string): BadRequestException {
  return new BadRequestException({
    message: 'Input must be well-formed Unicode: an unpaired surrogate (\\uD800–\\uDFFF) is not a character',
    details: [{ field, problems: ['must not contain an unpaired surrogate (U+D800–U+DFFF)'] }],
  });
}

function nulRefusal(field: string): BadRequestException {
  return new BadRequestException({
    message: 'Input must not contain the NUL character (U+0000)',
    details: [{ field, problems: ['must not contain U+0000'] }],
  });
}
