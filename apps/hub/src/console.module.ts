import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import {
  Logger,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { NextFunction, Request, Response } from 'express';

/** Vite names every asset by its content hash: a changed file has a new name, so browsers may keep one for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const COMPRESSIBLE: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

interface Compressed {
  type: string;
  br: Buffer;
  gzip: Buffer;
}

/**
 * Serves the hashed JS and CSS compressed (brotli, else gzip) with node's zlib: each file is
 * compressed once, on its first request, and kept in memory (the built console is a few files).
 */
function compressedAssets(assetsDir: string) {
  const cache = new Map<string, Promise<Compressed | null>>();
  const load = (name: string): Promise<Compressed | null> => {
    let entry = cache.get(name);
    if (!entry) {
      const type = COMPRESSIBLE[extname(name)];
      const file = join(assetsDir, name);
      entry =
        !type || name !== basename(name) || !existsSync(file)
          ? Promise.resolve(null)
          : (async () => {
              const raw = readFileSync(file);
              const [br, gz] = await Promise.all([
                brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }),
                gzipAsync(raw, { level: 9 }),
              ]);
              return { type, br, gzip: gz };
            })();
      cache.set(name, entry);
    }
    return entry;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    const name = decodeURIComponent(req.path.replace(/^.*\/assets\//, ''));
    if (!encoding) return next();
    load(name).then((c) => {
      if (!c) return next();
      const body = c[encoding];
      res.set({
        'content-type': c.type,
        'content-encoding': encoding,
        vary: 'Accept-Encoding',
        'cache-control': IMMUTABLE,
        'content-length': String(body.length),
      });
      res.status(200).end(req.method === 'HEAD' ? undefined : body);
    }, next);
  };
}

/** The built web console (dist/console), served at `/`; unknown non-API paths get index.html. */
@Module({})
export class ConsoleModule implements NestModule {
  private static assetsDir: string | null = null;

  static register(): DynamicModule {
    const rootPath = join(__dirname, '../../../console'); // dist/apps/hub/src -> dist/console
    if (!existsSync(join(rootPath, 'index.html'))) {
      new Logger('Console').warn(`web console not built (${rootPath} missing): run "npm run build"`);
      return { module: ConsoleModule };
    }
    ConsoleModule.assetsDir = join(rootPath, 'assets');
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          // A missing hashed file (an old tab after an upgrade) is a 404, not index.html posing as JS.
          exclude: ['/api/{*path}', '/health', '/metrics', '/assets/{*path}'],
          serveStaticOptions: {
            // index.html names the current hashed files, so it is revalidated on every load.
            setHeaders: (res: Response, path: string) =>
              res.setHeader('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache'),
          },
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (ConsoleModule.assetsDir)
      consumer
        .apply(compressedAssets(ConsoleModule.assetsDir))
        .forRoutes({ path: 'assets/{*path}', method: RequestMethod.GET });
  }
}
