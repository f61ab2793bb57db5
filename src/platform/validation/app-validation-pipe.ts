import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from '../errors/validation-exception.factory';
import { useConstraintInstanceMap } from './constraint-instances';
import { rememberValidationMetadata } from './validation-metadata-cache';

/**
 * The pipe every route's input goes through: unknown properties are refused (400 naming them),
 * query strings and bodies become their DTO classes, and errors take the API's error shape.
 */
export function appValidationPipe(): ValidationPipe {
  rememberValidationMetadata();
  useConstraintInstanceMap();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: validationExceptionFactory,
  });
}
