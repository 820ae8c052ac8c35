/**
 * Strict conversions of query-string values for class-transformer's `@Transform`. A value that
 * is not exactly the expected spelling is passed through unchanged, so the type validator
 * (`@IsBoolean`, `@IsInt`) refuses it with a message naming the parameter, instead of it being
 * coerced (`maybe` to false, `0x10` to 16).
 */
export const toStrictBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export const toStrictInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;

/**
 * `?kind=a,b` or `?kind=a&kind=b` as one list, empty items dropped; `aliases` expands a shorthand
 * (`open` into the open states). Each item is then checked by the field's `@IsIn(..., { each })`.
 */
export const toQueryList =
  (aliases: Readonly<Record<string, readonly string[]>> = {}) =>
  ({ value }: { value: unknown }): string[] | undefined =>
    value === undefined
      ? undefined
      : (Array.isArray(value) ? (value as unknown[]) : [value])
          .flatMap((v) => String(v).split(','))
          .filter(Boolean)
          .flatMap((v) => aliases[v] ?? [v]);
