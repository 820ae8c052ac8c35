import type { OwnerRouter } from './owner-router';

/** Where a routed method finds its bed: an alarm id or a bed id as its first argument. */
export type BedLocator = 'alarm' | 'bed';

/** A service whose methods run on a bed's owner node: it exposes its router. */
export interface OwnerRouted {
  readonly ownerRouter: OwnerRouter;
}

type LocalMethod = (...args: unknown[]) => Promise<unknown>;
const localMethods = new Map<string, LocalMethod>();

/** The undecorated method `service.method`, for the owner node to run what another node asked for. */
export function localMethod(service: string, method: string): LocalMethod | undefined {
  return localMethods.get(`${service}.${method}`);
}

/**
 * The method changes a bed's alarms or rule state, so it runs on the node that owns the bed's
 * partition (clustered mode) and here in a single process: one writer per bed, serialised with
 * the bed's rule evaluations. Arguments and result cross nodes as JSON.
 */
export function OnBedOwner(locate: BedLocator): MethodDecorator {
  return (target, key, descriptor) => {
    const d = descriptor as unknown as TypedPropertyDescriptor<LocalMethod>;
    const local = d.value!;
    const service = (target as { constructor: { name: string } }).constructor.name;
    const method = String(key);
    localMethods.set(`${service}.${method}`, local);
    d.value = function (this: OwnerRouted, ...args: unknown[]) {
      return this.ownerRouter.route({ service, method, locate, args }, () => local.apply(this, args));
    };
  };
}
