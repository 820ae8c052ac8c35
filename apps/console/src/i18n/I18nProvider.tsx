import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { setFormatLocale } from './format';
import { zhCN, type MessageKey, type Messages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const DICTS: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'bedside.locale';

export type Params = Record<string, string | number>;
export interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (key: MessageKey, params?: Params) => string;
  /** For keys built from data (`kind.${alarm.kind}`): falls back to the raw value when unknown. */
  tx: (prefix: string, value: string | null | undefined, params?: Params) => string;
  /** A key built from data, or null when the dictionary has none. */
  tn: (key: string, params?: Params) => string | null;
}

export const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

const fill = (s: string, params?: Params) =>
  params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLocaleState(l);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = DICTS[locale]['app.title'];
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const dict = DICTS[locale];
    setFormatLocale(locale);
    const t = (key: MessageKey, params?: Params) => fill(dict[key] ?? key, params);
    const tx = (prefix: string, v: string | null | undefined, params?: Params) => {
      if (!v) return '—';
      const s = (dict as Record<string, string>)[`${prefix}.${v}`];
      return s === undefined ? v : fill(s, params);
    };
    const tn = (key: string, params?: Params) => {
      const s = (dict as Record<string, string>)[key];
      return s === undefined ? null : fill(s, params);
    };
    return { locale, setLocale, t, tx, tn };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
