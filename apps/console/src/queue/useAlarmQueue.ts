import { useContext } from 'react';
import { AlarmQueueContext, type AlarmQueue } from './AlarmQueueProvider';

export function useAlarmQueue(): AlarmQueue {
  const ctx = useContext(AlarmQueueContext);
  if (!ctx) throw new Error('useAlarmQueue outside AlarmQueueProvider');
  return ctx;
}
