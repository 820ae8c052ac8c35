import { ApiError } from '../api/errors';
import { useI18n } from '../i18n/useI18n';

/** An API error shown inline: its code and the hub's message. */
export function ErrorMessage({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const text =
    error instanceof ApiError
      ? error.code === 'NETWORK'
        ? t('error.network')
        : `${error.code}: ${error.message}`
      : t('error.generic', { message: error instanceof Error ? error.message : JSON.stringify(error) });
  return (
    <p className="error" role="alert" data-testid={testId}>
      {text}
    </p>
  );
}
