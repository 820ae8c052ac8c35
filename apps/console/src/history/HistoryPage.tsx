import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import type { HistoryPage as Page, HistoryQuery } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { SeverityBadge } from '../components/SeverityBadge';
import { useAsyncAction } from '../components/useAsyncAction';
import { formatDateTime } from '../i18n/format';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { downloadCsv } from './downloadCsv';
import { KINDS, SEARCH_OUTCOMES } from './kinds';
import { useRegistryChoices } from './useRegistryChoices';

/** A date input's value as the start of that day in the workstation's zone, ISO. */
const dayStart = (d: string, plusDays = 0) => {
  if (!d) return undefined;
  const t = new Date(`${d}T00:00:00`);
  t.setDate(t.getDate() + plusDays);
  return t.toISOString();
};

const PLACE_FIELDS = ['householdId', 'residentId', 'bedId'] as const;

/** Household, resident and bed given in the address (`/history?residentId=…`), so other pages can link here. */
function placesFromUrl(): Pick<HistoryQuery, (typeof PLACE_FIELDS)[number]> {
  const p = new URLSearchParams(window.location.search);
  return Object.fromEntries(PLACE_FIELDS.flatMap((k) => (p.get(k) ? [[k, p.get(k)]] : [])));
}

/**
 * Past alarms by household, resident, bed, words, kind, outcome and dates, newest first, with a CSV
 * export of the same search.
 */
export function HistoryPage() {
  const i18n = useI18n();
  const { t, tx, locale } = i18n;
  const [initial] = useState(placesFromUrl);
  const [form, setForm] = useState({
    q: '',
    kind: '',
    outcome: '',
    from: '',
    to: '',
    householdId: initial.householdId ?? '',
    residentId: initial.residentId ?? '',
    bedId: initial.bedId ?? '',
  });
  const [query, setQuery] = useState<HistoryQuery>({ ...initial, page: 1 });
  const choices = useRegistryChoices(form.householdId);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    endpoints.history(query, ctrl.signal).then(
      (p) => {
        setPage(p);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [query]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({
      q: form.q.trim() || undefined,
      kind: form.kind || undefined,
      outcome: form.outcome || undefined,
      from: dayStart(form.from),
      to: dayStart(form.to, 1),
      householdId: form.householdId || undefined,
      residentId: form.residentId || undefined,
      bedId: form.bedId || undefined,
      page: 1,
    });
  };
  const exportCsv = useCallback(() => downloadCsv(query, locale), [query, locale]);
  const exporting = useAsyncAction(exportCsv);
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <main className="page history-page" data-testid="history-page">
      <div className="page-head">
        <h1>{t('history.title')}</h1>
      </div>
      <form className="history-filters" onSubmit={submit} role="search" aria-label={t('history.title')}>
        <label className="field">
          <span>{t('history.words')}</span>
          <input
            value={form.q}
            onChange={set('q')}
            placeholder={t('history.wordsPlaceholder')}
            data-testid="history-q"
          />
        </label>
        <label className="field">
          <span>{t('history.household')}</span>
          <select
            value={form.householdId}
            onChange={(e) => setForm({ ...form, householdId: e.target.value, residentId: '', bedId: '' })}
            data-testid="history-household"
          >
            <option value="">{t('history.any')}</option>
            {choices.households.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.resident')}</span>
          <select value={form.residentId} onChange={set('residentId')} data-testid="history-resident-filter">
            <option value="">{t('history.any')}</option>
            {choices.residents.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.bed')}</span>
          <select
            value={form.bedId}
            onChange={set('bedId')}
            disabled={!form.householdId}
            title={form.householdId ? undefined : t('history.bedNeedsHousehold')}
            data-testid="history-bed"
          >
            <option value="">{t('history.any')}</option>
            {choices.beds.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.kind')}</span>
          <select value={form.kind} onChange={set('kind')} data-testid="history-kind">
            <option value="">{t('history.any')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {tx('kind', k)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.outcome')}</span>
          <select value={form.outcome} onChange={set('outcome')} data-testid="history-outcome">
            <option value="">{t('history.any')}</option>
            {SEARCH_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o === 'open' ? t('history.open') : tx('outcome', o)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.from')}</span>
          <input
            type="text"
            inputMode="numeric"
            pattern="\d{4}-\d{2}-\d{2}"
            placeholder={t('history.datePattern')}
            value={form.from}
            onChange={set('from')}
            data-testid="history-from"
          />
        </label>
        <label className="field">
          <span>{t('history.to')}</span>
          <input
            type="text"
            inputMode="numeric"
            pattern="\d{4}-\d{2}-\d{2}"
            placeholder={t('history.datePattern')}
            value={form.to}
            onChange={set('to')}
            data-testid="history-to"
          />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="history-search">
          {t('history.search')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={exporting.busy}
          onClick={() => void exporting.run()}
          data-testid="history-export"
        >
          {t('history.export')}
        </button>
      </form>
      <ErrorMessage error={error ?? exporting.error} testId="history-error" />
      <p className="muted small" data-testid="history-total" aria-live="polite">
        {loading ? t('history.loading') : page ? t('history.total', { total: page.total }) : ''}
      </p>
      <table className="queue history" data-testid="history-table">
        <thead>
          <tr>
            <th>{t('history.col.raised')}</th>
            <th>{t('queue.col.severity')}</th>
            <th>{t('queue.col.kind')}</th>
            <th>{t('queue.col.resident')}</th>
            <th>{t('queue.col.message')}</th>
            <th>{t('history.col.outcome')}</th>
            <th>{t('history.col.handledBy')}</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((a) => (
            <tr key={a.id} data-testid="history-row" data-alarm-id={a.id}>
              <td>
                <Link href={`/alarms/${encodeURIComponent(a.id)}`}>{formatDateTime(a.raisedAt)}</Link>
              </td>
              <td>
                <SeverityBadge severity={a.severity} />
              </td>
              <td>{tx('kind', a.kind)}</td>
              <td>
                {a.residentId ? (
                  <Link href={`/residents/${encodeURIComponent(a.residentId)}/timeline`} data-testid="history-resident">
                    {a.residentName}
                  </Link>
                ) : (
                  (a.residentName ?? '—')
                )}
                <span className="muted small block">{[a.householdName, a.bedLabel].filter(Boolean).join(' · ')}</span>
              </td>
              <td>{describeAlarm(a, i18n)}</td>
              <td data-testid="history-outcome-cell">
                {a.state === 'resolved' ? tx('outcome', a.outcome) : tx('state', a.state)}
              </td>
              <td>{a.resolvedByName ?? a.acknowledgedByName ?? a.acknowledgedBy ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 && !loading && (
        <p className="empty" data-testid="history-empty">
          {t('history.none')}
        </p>
      )}
      {page && pages > 1 && (
        <nav className="pager" aria-label={t('history.pages')}>
          <button
            type="button"
            className="btn"
            disabled={(query.page ?? 1) <= 1}
            onClick={() => setQuery({ ...query, page: (query.page ?? 1) - 1 })}
            data-testid="history-prev"
          >
            {t('history.prev')}
          </button>
          <span data-testid="history-page-no">{t('history.page', { page: query.page ?? 1, pages })}</span>
          <button
            type="button"
            className="btn"
            disabled={(query.page ?? 1) >= pages}
            onClick={() => setQuery({ ...query, page: (query.page ?? 1) + 1 })}
            data-testid="history-next"
          >
            {t('history.next')}
          </button>
        </nav>
      )}
    </main>
  );
}
