import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { needsAtLeastOneField } from '@bedside/common';

/**
 * The hub's validation of bodies, queries and parameters: unknown properties are refused, values
 * are turned into the DTO's types, and a partial update (`@AtLeastOneField()`) must set
 * something; its 400 lists the fields it may set.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && needsAtLeastOneField(metadata.metatype) && isEmpty(value)) {
      const fields = [
        ...new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(metadata.metatype!, '', true, false)
            .map((m) => m.propertyName),
        ),
      ];
      throw new BadRequestException([`body must set at least one of: ${fields.join(', ')}`]);
    }
    return super.transform(value, metadata);
  }
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
