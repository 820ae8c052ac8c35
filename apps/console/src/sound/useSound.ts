import { useContext } from 'react';
import { SoundContext, type SoundControl } from './SoundProvider';

export function useSound(): SoundControl {
  const ctx = useContext(SoundContext);
  if (!ctx) throw new Error('useSound outside SoundProvider');
  return ctx;
}
