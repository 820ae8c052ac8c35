import type { ProvisionalAlarm } from '../api/types';

/** Calls for help heard by the hub but not stored yet, by key; and keys already stored. */
export interface ProvisionalState {
  open: ReadonlyMap<string, ProvisionalAlarm>;
  stored: ReadonlySet<string>;
}

export type ProvisionalAction =
  | { type: 'heard'; call: ProvisionalAlarm }
  | { type: 'stored'; key: string }
  /** The stream reconnected: the hub sends every call still open again, first. */
  | { type: 'reconnected' }
  | { type: 'expire'; now: number };

export const NO_PROVISIONAL: ProvisionalState = { open: new Map(), stored: new Set() };

/** Most stored keys remembered (a late resend's notice after its stored one is ignored). */
const STORED_MEMORY = 500;

export function provisionalReducer(state: ProvisionalState, action: ProvisionalAction): ProvisionalState {
  switch (action.type) {
    case 'heard': {
      if (state.stored.has(action.call.key) || state.open.has(action.call.key)) return state;
      return { ...state, open: new Map(state.open).set(action.call.key, action.call) };
    }
    case 'stored': {
      const open = new Map(state.open);
      open.delete(action.key);
      const stored = [...state.stored, action.key].slice(-STORED_MEMORY);
      return { open, stored: new Set(stored) };
    }
    case 'reconnected':
      return state.open.size === 0 ? state : { ...state, open: new Map() };
    case 'expire': {
      const live = [...state.open].filter(([, c]) => Date.parse(c.expiresAt) > action.now);
      return live.length === state.open.size ? state : { ...state, open: new Map(live) };
    }
  }
}
