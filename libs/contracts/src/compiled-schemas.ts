import Ajv, { type ValidateFunction } from 'ajv';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { SchemaObject } from 'ajv';

/**
 * A fast path compiled from the DTO classes themselves: their class-validator metadata is turned
 * into JSON Schema once and compiled by ajv (~1 µs a message instead of ~50 µs). The DTOs stay
 * the single source of truth: a message ajv rejects is validated again by class-validator, which
 * has the last word and writes the error messages; a conformance spec checks the two agree.
 *
 * `registry`: the JSON Schema of every DTO class loaded, and the checks compiled from it so far.
 */
let registry: {
  ajv: Ajv;
  definitions: Record<string, SchemaObject>;
  compiled: Map<string, ValidateFunction | undefined>;
} | null = null;

function withClassValidatorSemantics(schema: SchemaObject): SchemaObject {
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  const properties: Record<string, SchemaObject> = {};
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>)) {
    // @IsOptional() lets null through as well as a missing field.
    properties[name] = required.has(name) ? prop : { anyOf: [prop, { type: 'null' }] };
  }
  // forbidNonWhitelisted: an unknown field is an error.
  return { ...schema, properties, additionalProperties: false };
}

function build(): NonNullable<typeof registry> {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/definitions/',
  });
  const definitions: Record<string, SchemaObject> = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = withClassValidatorSemantics(schema);
  // Formats off: no contract field uses one, and the metadata of every class-validator DTO loaded
  // in the process (the hub's own configuration among them) is converted here too, whose `url`
  // formats ajv would otherwise warn about on stderr.
  const ajv = new Ajv({ strict: false, allErrors: false, coerceTypes: false, validateFormats: false });
  // Compiled one class at a time, when first asked for: the process holds every REST DTO too,
  // and compiling them all would cost device ingest nothing but time at start.
  ajv.addSchema({ $id: 'dto', definitions });
  return { ajv, definitions, compiled: new Map() };
}

/** The compiled check for a DTO class, or undefined if the class has no validation metadata. */
export function compiledValidator(className: string): ValidateFunction | undefined {
  registry ??= build();
  if (!registry.compiled.has(className))
    registry.compiled.set(
      className,
      Object.hasOwn(registry.definitions, className)
        ? registry.ajv.compile({ $ref: `dto#/definitions/${className}` })
        : undefined,
    );
  return registry.compiled.get(className);
}
