import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import type { DispatchExpectationView } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';

/** Minutes as typed, per responder type: on site within, closed within (empty: no expectation). */
type Draft = Record<string, { onSite: string; close: string }>;

const minutes = (s: number | null) => (s === null ? '' : String(Math.round((s / 60) * 100) / 100));
const toDraft = (xs: DispatchExpectationView[]): Draft =>
  Object.fromEntries(
    xs.map((e) => [e.responderType, { onSite: minutes(e.onSiteWithinS), close: minutes(e.closeWithinS) }]),
  );

/** A supervisor sets how soon each kind of responder is expected on site and the work order closed. */
export function DispatchExpectationsPanel({ organisationId }: { organisationId: string }) {
  const { t, tx } = useI18n();
  const [current, setCurrent] = useState<DispatchExpectationView[] | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    endpoints.dispatchExpectations(organisationId, ctrl.signal).then(
      (r) => {
        setCurrent(r.expectations);
        setDraft(toDraft(r.expectations));
      },
      (err: unknown) => !ctrl.signal.aborted && setError(err),
    );
    return () => ctrl.abort();
  }, [organisationId]);

  const save = useCallback(async () => {
    if (!current) return;
    const r = await endpoints.putDispatchExpectations(
      organisationId,
      current.map((e) => {
        const d = draft[e.responderType];
        return {
          responderType: e.responderType,
          onSiteWithinS: Math.round(Number(d.onSite) * 60),
          closeWithinS: d.close.trim() === '' ? null : Math.round(Number(d.close) * 60),
        };
      }),
    );
    setCurrent(r.expectations);
    setDraft(toDraft(r.expectations));
    setSaved(true);
  }, [organisationId, current, draft]);
  const saving = useAsyncAction(save);

  const change = (type: string, field: 'onSite' | 'close', value: string) => {
    setDraft((d) => ({ ...d, [type]: { ...d[type], [field]: value } }));
    setSaved(false);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saving.run();
  };

  return (
    <Panel title={t('expectations.title')} testId="dispatch-expectations">
      <ErrorMessage error={error} />
      {current && (
        <form className="stack" onSubmit={submit}>
          <p className="muted small">{t('expectations.help')}</p>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('dispatch.responderType')}</th>
                <th>{t('expectations.onSite')}</th>
                <th>{t('expectations.close')}</th>
              </tr>
            </thead>
            <tbody>
              {current.map((e) => (
                <tr key={e.responderType} data-testid={`expectation-${e.responderType}`}>
                  <td>
                    {tx('dispatch.type', e.responderType)}
                    {e.isDefault && <span className="muted small"> · {t('expectations.default')}</span>}
                  </td>
                  <td>
                    <input
                      type="number"
                      min="0.02"
                      step="any"
                      required
                      aria-label={`${tx('dispatch.type', e.responderType)} ${t('expectations.onSite')}`}
                      value={draft[e.responderType]?.onSite ?? ''}
                      onChange={(ev) => change(e.responderType, 'onSite', ev.target.value)}
                      data-testid={`expectation-${e.responderType}-on-site`}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min="0.02"
                      step="any"
                      aria-label={`${tx('dispatch.type', e.responderType)} ${t('expectations.close')}`}
                      value={draft[e.responderType]?.close ?? ''}
                      onChange={(ev) => change(e.responderType, 'close', ev.target.value)}
                      data-testid={`expectation-${e.responderType}-close`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorMessage error={saving.error} testId="expectations-error" />
          <button type="submit" className="btn btn-primary" disabled={saving.busy} data-testid="expectations-save">
            {t('expectations.save')}
          </button>
          {saved && (
            <p className="small ok" role="status" data-testid="expectations-saved">
              {t('expectations.saved')}
            </p>
          )}
        </form>
      )}
    </Panel>
  );
}
