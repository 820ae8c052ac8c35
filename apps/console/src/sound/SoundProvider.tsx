import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Severity } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { AlarmSound } from './AlarmSound';
import { CRITICAL_REPEAT_MS } from './beep-patterns';

export interface SoundControl {
  muted: boolean;
  toggleMute(): void;
  /** A critical alarm is unacknowledged (the repeating alert is due, muted or not). */
  alerting: boolean;
  /** The browser has not allowed audio yet: a click anywhere fixes it. */
  blocked: boolean;
}

export const SoundContext = createContext<SoundControl | null>(null);
const MUTE_KEY = 'bedside.muted'; // sessionStorage: muting lasts one shift (tab), never longer

/**
 * Repeats the critical pattern while any critical alarm is unacknowledged, and chimes once
 * (its severity's pattern) for each other newly raised alarm.
 */
export function SoundProvider({ children }: { children: ReactNode }) {
  const { alarms } = useAlarmQueue();
  const sound = useRef(new AlarmSound()).current;
  const [muted, setMuted] = useState(() => sessionStorage.getItem(MUTE_KEY) === '1');
  const [blocked, setBlocked] = useState(true);
  const chimed = useRef(new Set<string>());

  const alerting = alarms.some((a) => a.severity === 'critical' && a.state === 'raised');

  useEffect(() => {
    const unlock = () => {
      sound.unlock();
      setTimeout(() => setBlocked(sound.blocked), 50);
    };
    unlock();
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [sound]);

  useEffect(() => {
    if (!alerting || muted) return;
    sound.play('critical');
    const t = setInterval(() => sound.play('critical'), CRITICAL_REPEAT_MS);
    return () => clearInterval(t);
  }, [alerting, muted, sound]);

  useEffect(() => {
    const fresh = alarms.filter((a) => a.state === 'raised' && a.severity !== 'critical' && !chimed.current.has(a.id));
    fresh.forEach((a) => chimed.current.add(a.id));
    if (muted || fresh.length === 0) return;
    const order: Severity[] = ['major', 'minor', 'warning'];
    const top = order.find((s) => fresh.some((a) => a.severity === s));
    if (top) sound.play(top);
  }, [alarms, muted, sound]);

  const toggleMute = useCallback(() => {
    setMuted((m) => {
      sessionStorage.setItem(MUTE_KEY, m ? '0' : '1');
      return !m;
    });
  }, []);

  const value = useMemo(() => ({ muted, toggleMute, alerting, blocked }), [muted, toggleMute, alerting, blocked]);
  return <SoundContext.Provider value={value}>{children}</SoundContext.Provider>;
}
