import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@bedside/config';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  let env;
  try {
    env = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await NestFactory.create(AppModule.forRoot(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const openapi = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Bedside hub').setDescription('Registry, devices and telemetry of the Bedside home-care bed service')
    .setVersion('1').addBasicAuth().addSecurityRequirements('basic').build());
  SwaggerModule.setup('api/docs', app, openapi, { jsonDocumentUrl: 'api/openapi.json' });
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  app.get(Logger).log(`http listening on ${env.HTTP_HOST}:${(app.getHttpServer().address() as { port: number }).port}`);
}

void bootstrap();
