import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../domain-error';

/** A path or query parameter that must be a UUID; the refusal names the parameter. */
export const uuidParam = (name: string, options: { optional?: boolean } = {}) =>
  new ParseUUIDPipe({
    optional: options.optional,
    exceptionFactory: () => new DomainError('VALIDATION_FAILED', `${name} must be a UUID`, { field: name }),
  });
