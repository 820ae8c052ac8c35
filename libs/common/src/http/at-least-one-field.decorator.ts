import 'reflect-metadata';

const AT_LEAST_ONE_FIELD = Symbol('bedside:atLeastOneField');

/**
 * Marks a body DTO whose fields are all optional (a partial update) as needing at least one of
 * them: an empty update is a client mistake, refused with a 400 by the hub's validation pipe.
 */
export function AtLeastOneField(): ClassDecorator {
  return (target) => Reflect.defineMetadata(AT_LEAST_ONE_FIELD, true, target);
}

export const needsAtLeastOneField = (type: unknown): boolean =>
  typeof type === 'function' && Reflect.getMetadata(AT_LEAST_ONE_FIELD, type) === true;
