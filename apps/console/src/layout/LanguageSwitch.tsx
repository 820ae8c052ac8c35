import { useI18n } from '../i18n/useI18n';

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost"
      data-testid="language-switch"
      data-locale={locale}
      lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
      title={t('header.languageLabel')}
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('header.language')}
    </button>
  );
}
