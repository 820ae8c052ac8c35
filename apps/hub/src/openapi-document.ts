import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The hub's OpenAPI document: served at /api/openapi.json and exported for the console's types. */
export function describeApi(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bedside hub')
      .setDescription('Registry, devices and telemetry of the Bedside home-care bed service')
      .setVersion('1')
      .addBasicAuth()
      .addSecurityRequirements('basic')
      .build(),
  );
}
