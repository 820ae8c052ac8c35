import { useEffect, useState } from 'react';
import { authHeaders } from './client';

/**
 * What the hub's OpenAPI document says it can do, so the console can hide panels for endpoints
 * the hub does not have (yet). Unknown (no document) counts as "supported": the panel then hides
 * itself on the first 404 instead.
 */
let paths: Promise<string[] | null> | null = null;

function loadPaths(): Promise<string[] | null> {
  paths ??= fetch('/api/openapi.json', { headers: authHeaders() })
    .then((r) => (r.ok ? r.json() : null))
    .then((doc: { paths?: Record<string, unknown> } | null) => (doc?.paths ? Object.keys(doc.paths) : null))
    .catch(() => null);
  return paths;
}

export function useSupports(pattern: RegExp): boolean {
  const [supported, setSupported] = useState(true);
  useEffect(() => {
    let live = true;
    void loadPaths().then((ps) => live && setSupported(ps === null || ps.some((p) => pattern.test(p))));
    return () => {
      live = false;
    };
  }, [pattern]);
  return supported;
}

export const DISPATCHES_PATH = /^\/api\/alarms\/\{[^}]+\}\/dispatches$/;
