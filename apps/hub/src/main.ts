import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@bedside/config';
import { AppModule } from './app.module';
import { configureHttpEdge } from './http/configure-http-edge';
import { describeApi } from './openapi-document';

/** Deepest JSON nesting a request body may have; API bodies need a handful of levels. */
const MAX_BODY_DEPTH = 32;

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
  // bodyParser off: the HTTP edge parses JSON bodies itself, after its own checks.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  boundShutdown(env.SHUTDOWN_TIMEOUT_MS, app.get(Logger));
  app.enableShutdownHooks();
  configureHttpEdge(app, {
    maxBytes: env.HTTP_BODY_LIMIT_BYTES,
    maxDepth: MAX_BODY_DEPTH,
    allowedOrigins: env.HTTP_ALLOWED_ORIGINS,
  });
  const openapi = describeApi(app);
  SwaggerModule.setup('api/docs', app, openapi, { jsonDocumentUrl: 'api/openapi.json' });
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  app.get(Logger).log(`http listening on ${env.HTTP_HOST}:${(app.getHttpServer().address() as { port: number }).port}`);
}

/**
 * Nest runs the shutdown hooks on SIGTERM/SIGINT and then re-raises the signal; a hook stuck on
 * an unreachable dependency would hold the process until the orchestrator kills it. Past the
 * bound the hub exits by itself: what was acknowledged is already durable, and the rest was not
 * acknowledged, so devices resend it to the next hub.
 */
function boundShutdown(timeoutMs: number, log: Logger): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      setTimeout(() => {
        log.error({ msg: 'shutdown did not finish in time; exiting', timeoutMs });
        process.exit(1);
      }, timeoutMs).unref();
    });
}

void bootstrap();
