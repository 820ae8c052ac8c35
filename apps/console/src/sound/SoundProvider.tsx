import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Severity } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { AlarmSound } from './AlarmSound';
import { CONNECTION_LOST_REPEAT_MS, CRITICAL_REPEAT_MS } from './beep-patterns';

export interface SoundControl {
  /** Epoch ms the mute ends at, or null when not muted. */
  mutedUntil: number | null;
  toggleMute: () => void;
  /** A critical alarm is unacknowledged (the repeating alert is due, muted or not). */
  alerting: boolean;
  /** The browser has not allowed audio yet: a click anywhere fixes it. */
  blocked: boolean;
}

export const SoundContext = createContext<SoundControl | null>(null);

/** A mute always ends by itself, and lives in memory only: a reload brings the sound back. */
export const MUTE_MS = 5 * 60_000;

/**
 * Repeats the critical pattern while any critical alarm is unacknowledged or a call for help
 * is not stored yet, chimes once (its
 * severity's pattern) for each other newly raised alarm, and sounds while the live stream is
 * lost. A mute silences what was already on screen: a critical raised during it ends it, and a
 * lost stream sounds regardless.
 */
export function SoundProvider({ children }: { children: ReactNode }) {
  const { alarms, provisional, status } = useAlarmQueue();
  const sound = useRef(new AlarmSound()).current;
  const [mutedUntil, setMutedUntil] = useState<number | null>(null);
  const [blocked, setBlocked] = useState(true);
  const chimed = useRef(new Set<string>());
  const knownCriticals = useRef<Set<string>>(new Set());

  const criticals = alarms.filter((a) => a.severity === 'critical' && a.state === 'raised');
  // A call for help not stored yet alerts like an unacknowledged critical alarm: someone needs help now.
  const alertIds = [...criticals.map((a) => a.id), ...provisional.map((c) => c.key)];
  const alerting = alertIds.length > 0;
  const muted = mutedUntil !== null;
  const newCritical = muted && alertIds.some((id) => !knownCriticals.current.has(id));

  useEffect(() => {
    if (newCritical) setMutedUntil(null);
  }, [newCritical]);

  useEffect(() => {
    if (mutedUntil === null) return;
    const t = setTimeout(() => setMutedUntil(null), Math.max(0, mutedUntil - Date.now()));
    return () => clearTimeout(t);
  }, [mutedUntil]);

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

  const lost = status === 'reconnecting';
  useEffect(() => {
    if (!lost) return;
    sound.play('connectionLost');
    const t = setInterval(() => sound.play('connectionLost'), CONNECTION_LOST_REPEAT_MS);
    return () => clearInterval(t);
  }, [lost, sound]);

  useEffect(() => {
    const fresh = alarms.filter((a) => a.state === 'raised' && a.severity !== 'critical' && !chimed.current.has(a.id));
    fresh.forEach((a) => chimed.current.add(a.id));
    if (muted || fresh.length === 0) return;
    const order: Severity[] = ['major', 'minor', 'warning'];
    const top = order.find((s) => fresh.some((a) => a.severity === s));
    if (top) sound.play(top);
  }, [alarms, muted, sound]);

  // An alarm back from hold alerts again like a new one of its severity, muted or not: the
  // operator parked it and asked to be reminded.
  // (Taken back early by an operator: no sound, its level stays.)
  const heldLevels = useRef<Map<string, number>>(new Map());
  useEffect(() => {
    const back = alarms.filter((a) => {
      const level = heldLevels.current.get(a.id);
      return level !== undefined && !a.heldUntil && a.escalationLevel > level;
    });
    heldLevels.current = new Map(alarms.filter((a) => a.heldUntil).map((a) => [a.id, a.escalationLevel]));
    if (back.length === 0) return;
    const order: Severity[] = ['critical', 'major', 'minor', 'warning'];
    const top = order.find((s) => back.some((a) => a.severity === s));
    if (top) sound.play(top);
  }, [alarms, sound]);

  const criticalIds = alertIds.join('\n');
  const toggleMute = useCallback(() => {
    setMutedUntil((until) => {
      if (until !== null) return null;
      knownCriticals.current = new Set(criticalIds.split('\n').filter(Boolean));
      return Date.now() + MUTE_MS;
    });
  }, [criticalIds]);

  const value = useMemo(
    () => ({ mutedUntil, toggleMute, alerting, blocked }),
    [mutedUntil, toggleMute, alerting, blocked],
  );
  return <SoundContext.Provider value={value}>{children}</SoundContext.Provider>;
}
