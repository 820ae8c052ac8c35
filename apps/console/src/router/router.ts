import { useSyncExternalStore } from 'react';

/** A tiny History API router: the console has a handful of pages, not worth a dependency. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  notify();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route =
  | { name: 'queue' }
  | { name: 'alarm'; id: string }
  | { name: 'supervisor' }
  | { name: 'wallboard' }
  | { name: 'history' }
  | { name: 'residentTimeline'; id: string }
  | { name: 'handover' }
  | { name: 'plans' }
  | { name: 'visits' }
  | { name: 'resident'; id: string }
  | { name: 'reports' }
  | { name: 'notFound' };

export function matchRoute(path: string): Route {
  if (path === '/' || path === '' || path === '/index.html') return { name: 'queue' };
  const alarm = /^\/alarms\/([^/]+)\/?$/.exec(path);
  if (alarm) return { name: 'alarm', id: decodeURIComponent(alarm[1]) };
  if (/^\/supervisor\/?$/.test(path)) return { name: 'supervisor' };
  if (/^\/wallboard\/?$/.test(path)) return { name: 'wallboard' };
  if (/^\/history\/?$/.test(path)) return { name: 'history' };
  if (/^\/handover\/?$/.test(path)) return { name: 'handover' };
  if (/^\/plans\/?$/.test(path)) return { name: 'plans' };
  if (/^\/visits\/?$/.test(path)) return { name: 'visits' };
  if (/^\/reports\/?$/.test(path)) return { name: 'reports' };
  const residentTimeline = /^\/residents\/([^/]+)\/timeline\/?$/.exec(path);
  if (residentTimeline) return { name: 'residentTimeline', id: decodeURIComponent(residentTimeline[1]) };
  const resident = /^\/residents\/([^/]+)\/?$/.exec(path);
  if (resident) return { name: 'resident', id: decodeURIComponent(resident[1]) };
  return { name: 'notFound' };
}
