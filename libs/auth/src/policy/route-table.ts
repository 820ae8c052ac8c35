import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../public.decorator';
import type { Role } from '../current-user.decorator';
import { rolesWith } from './role-permissions';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

export interface DeclaredRoute {
  method: string;
  path: string;
  handler: string;
  public: boolean;
  access?: RouteAccess;
  /** The roles that may call it (every role for a public route). */
  roles: Role[] | 'anyone';
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every REST route with its access declaration, read from the controllers at start. The hub
 * refuses to start if a route has none: a forgotten declaration fails closed at boot rather
 * than answering 403 to the first caller.
 */
@Injectable()
export class RouteTable implements OnApplicationBootstrap {
  private routes: DeclaredRoute[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.routes = this.collect();
    const undeclared = this.routes.filter((r) => !r.public && !r.access);
    if (undeclared.length)
      throw new Error(
        `routes without an access declaration: ${undeclared.map((r) => `${r.method} ${r.path} (${r.handler})`).join(', ')}`,
      );
    // Two handlers on one method and path: Express serves the first, so the second's access
    // declaration would be published but never enforced.
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const r of this.routes) {
      const key = `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`;
      const first = seen.get(key);
      if (first) twice.push(`${r.method} ${r.path} (${first} and ${r.handler})`);
      else seen.set(key, r.handler);
    }
    if (twice.length) throw new Error(`routes declared twice: ${twice.join(', ')}`);
  }

  list(): DeclaredRoute[] {
    return this.routes;
  }

  private collect(): DeclaredRoute[] {
    const out: DeclaredRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype;
      if (!instance || !metatype) continue;
      const base = String(this.reflector.get<string | string[]>(PATH_METADATA, metatype) ?? '');
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const fn = proto[name] as (...args: unknown[]) => unknown;
        const methodPath = this.reflector.get<string | string[] | undefined>(PATH_METADATA, fn);
        if (methodPath === undefined) continue;
        const method = RequestMethod[this.reflector.get<RequestMethod>(METHOD_METADATA, fn)];
        const isPublic = Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [fn, metatype]));
        const access = this.reflector.get<RouteAccess | undefined>(ROUTE_ACCESS, fn);
        for (const p of Array.isArray(methodPath) ? methodPath : [methodPath]) {
          out.push({
            method,
            path: join(base, p),
            handler: `${metatype.name}.${name}`,
            public: isPublic,
            access,
            roles: isPublic ? 'anyone' : access ? rolesWith(access.permission) : [],
          });
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
