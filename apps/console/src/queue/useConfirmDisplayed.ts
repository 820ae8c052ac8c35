import { useEffect } from 'react';
import { confirmDisplayed } from './displayed';

/** Confirms display once the row is on screen in a visible tab. */
export function useConfirmDisplayed(alarmId: string): void {
  useEffect(() => {
    if (document.visibilityState === 'visible') {
      confirmDisplayed(alarmId);
      return;
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') confirmDisplayed(alarmId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [alarmId]);
}
