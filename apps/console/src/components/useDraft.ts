import { useCallback, useState } from 'react';

/**
 * Text being typed, kept in sessionStorage so an expired session or a reload does not lose it;
 * same tab only, and cleared on submit or deliberate sign-out.
 */
const PREFIX = 'bedside.draft.';

export function useDraft(key: string): [string, (v: string) => void, () => void] {
  const storageKey = PREFIX + key;
  const [value, setValue] = useState(() => sessionStorage.getItem(storageKey) ?? '');
  const set = useCallback(
    (v: string) => {
      setValue(v);
      if (v) sessionStorage.setItem(storageKey, v);
      else sessionStorage.removeItem(storageKey);
    },
    [storageKey],
  );
  const clear = useCallback(() => set(''), [set]);
  return [value, set, clear];
}

export function clearDrafts(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
  }
}
