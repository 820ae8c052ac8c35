import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';

/** Bed labels for queue rows, fetched once per bed and shared. */
const cache = new Map<string, Promise<string | null>>();

function load(bedId: string): Promise<string | null> {
  let p = cache.get(bedId);
  if (!p) {
    p = endpoints.bed(bedId).then(
      (b) => b.label ?? null,
      () => {
        cache.delete(bedId); // try again next time
        return null;
      },
    );
    cache.set(bedId, p);
  }
  return p;
}

export function useBedLabel(bedId: string, given?: string | null): string | null {
  const [label, setLabel] = useState<string | null>(given ?? null);
  useEffect(() => {
    if (given) return;
    let live = true;
    void load(bedId).then((l) => live && setLabel(l));
    return () => {
      live = false;
    };
  }, [bedId, given]);
  return given ?? label;
}
