import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permission';

/** Records whose owning organisation the guard can resolve (access.repository.ts). */
export type Resource =
  'organisation' | 'household' | 'resident' | 'bed' | 'device' | 'alarm' | 'webhook' | 'user' | 'region' | 'visit';

/** Where a request names a record: a path parameter, a query parameter or a top-level body field. */
export interface ResourceRef {
  resource: Resource;
  in: 'path' | 'query' | 'body';
  name: string;
}

export interface RouteAccess {
  permission: Permission;
  /** Records the request names; each must exist and belong to the caller's organisation (else 404). */
  owns?: readonly ResourceRef[];
  /** Only a platform administrator (no organisation) may call it. */
  platform?: boolean;
  /** The answer carries resident data: every call is audited, reads and lists included. */
  residentData?: boolean;
}

export const ROUTE_ACCESS = 'bedside:route-access';

/**
 * Declares who may call a route: the permission (see the role table) and the records it names.
 * The authorization guard enforces it before the handler runs; a route without a declaration
 * (and not @Public()) is refused, and the hub will not start with one.
 */
export const Authenticated = (access: RouteAccess) => SetMetadata(ROUTE_ACCESS, access);

export const inPath = (resource: Resource, name = 'id'): ResourceRef => ({ resource, in: 'path', name });
export const inQuery = (resource: Resource, name: string): ResourceRef => ({ resource, in: 'query', name });
export const inBody = (resource: Resource, name: string): ResourceRef => ({ resource, in: 'body', name });
