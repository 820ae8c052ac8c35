import { ValidateIf } from 'class-validator';

/**
 * Like class-validator's `@IsOptional()`, but only an absent property skips validation: `null`
 * is validated (and so refused) like any other value. `@IsOptional()` lets `null` through, and a
 * null then reached NOT NULL columns as a database error.
 */
export const IsOptionalNonNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
