import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@bedside/config';
import { AppModule } from './app.module';
import { describeApi } from './openapi-document';

/**
 * Prints the hub's OpenAPI document as JSON without starting it: preview mode builds the module
 * graph and routes but instantiates no provider, so no database, broker or port is needed.
 */
async function exportOpenApi(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), { preview: true, logger: false });
  process.stdout.write(`${JSON.stringify(describeApi(app), null, 2)}\n`);
  await app.close();
}

void exportOpenApi();
