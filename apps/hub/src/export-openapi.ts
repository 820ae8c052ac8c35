import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@bedside/config';
import { AppModule } from './app.module';
import { describeApi } from './openapi-document';

/**
 * Prints the hub's OpenAPI document as JSON without starting it: preview mode builds the module
 * graph and routes but instantiates no provider, so no database, broker or port is needed.
 */
async function exportOpenApi(): Promise<void> {
  // stdout carries the document only: modules that log while they are composed (the console
  // module warns when dist/console is not built yet, as in a fresh clone before the build) stay quiet.
  Logger.overrideLogger(false);
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), { preview: true, logger: false });
  process.stdout.write(`${JSON.stringify(describeApi(app), null, 2)}\n`);
  await app.close();
}

void exportOpenApi();
