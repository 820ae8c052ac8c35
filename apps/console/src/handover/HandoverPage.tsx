import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import type { Handover, HandoverItem } from '../api/types';
import { useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useDraft } from '../components/useDraft';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';

function ItemLine({ item }: { item: HandoverItem }) {
  const { t, tx } = useI18n();
  if (item.type === 'follow_up') return <span>{item.text}</span>;
  const what = [tx('kind', item.kind), item.residentName, item.householdName].filter(Boolean).join(' · ');
  return (
    <span>
      {item.alarmId ? <Link href={`/alarms/${encodeURIComponent(item.alarmId)}`}>{what}</Link> : what}{' '}
      <span className="muted small">
        {item.type === 'held'
          ? t('handover.heldUntil', { time: formatDateTime(item.heldUntil), reason: item.holdReason ?? '' })
          : tx('state', item.state)}
      </span>
    </span>
  );
}

function Items({ items, testId }: { items: HandoverItem[]; testId: string }) {
  const { tx } = useI18n();
  const groups: HandoverItem['type'][] = ['open', 'held', 'follow_up'];
  return (
    <div data-testid={testId}>
      {groups.map((g) => {
        const xs = items.filter((i) => i.type === g);
        return (
          <section key={g} className="handover-group">
            <h3>
              {tx('handover.group', g)} ({xs.length})
            </h3>
            {xs.length > 0 && (
              <ul>
                {xs.map((i, n) => (
                  <li key={n} data-testid={`handover-item-${g}`}>
                    <ItemLine item={i} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** The outgoing shift writes what is open, held and to follow up; the next shift acknowledges it. */
export function HandoverPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const orgId = user?.organisationId ?? null;
  const [draft, setDraft] = useState<HandoverItem[]>([]);
  const [list, setList] = useState<Handover[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [summary, setSummary, clearSummary] = useDraft('handover.summary');
  const [followUps, setFollowUps, clearFollowUps] = useDraft('handover.followUps');

  useEffect(() => {
    if (!orgId) return;
    const ctrl = new AbortController();
    Promise.all([endpoints.handoverDraft(orgId, ctrl.signal), endpoints.handovers(orgId, ctrl.signal)]).then(
      ([d, l]) => {
        setDraft(d.items);
        setList(l);
        setError(null);
      },
      (err: unknown) => !ctrl.signal.aborted && setError(err),
    );
    return () => ctrl.abort();
  }, [orgId, version]);

  const write = useCallback(async () => {
    if (!orgId) return;
    await endpoints.writeHandover(orgId, {
      summary: summary.trim(),
      followUps: followUps
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((text) => ({ text })),
    });
    clearSummary();
    clearFollowUps();
    setVersion((v) => v + 1);
  }, [orgId, summary, followUps, clearSummary, clearFollowUps]);
  const ack = useCallback(
    async (id: string) => {
      if (!orgId) return;
      await endpoints.acknowledgeHandover(orgId, id);
      setVersion((v) => v + 1);
    },
    [orgId],
  );
  const writing = useAsyncAction(write);
  const acking = useAsyncAction(ack);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (summary.trim()) void writing.run();
  };

  if (!orgId) {
    return (
      <main className="page">
        <p className="muted">{t('handover.noOrganisation')}</p>
      </main>
    );
  }
  return (
    <main className="page handover-page" data-testid="handover-page">
      <div className="page-head">
        <h1>{t('handover.title')}</h1>
      </div>
      <ErrorMessage error={error} />
      <div className="handover-grid">
        <Panel title={t('handover.write')} testId="handover-write">
          <Items items={draft} testId="handover-draft" />
          <form className="stack" onSubmit={submit}>
            <label className="field">
              <span>{t('handover.summary')}</span>
              <textarea
                rows={3}
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                maxLength={4000}
                data-testid="handover-summary"
              />
            </label>
            <label className="field">
              <span>{t('handover.followUps')}</span>
              <textarea
                rows={3}
                value={followUps}
                onChange={(e) => setFollowUps(e.target.value)}
                placeholder={t('handover.followUpsPlaceholder')}
                data-testid="handover-followups"
              />
            </label>
            <ErrorMessage error={writing.error} testId="handover-error" />
            <button
              type="submit"
              className="btn btn-primary"
              disabled={writing.busy || !summary.trim()}
              data-testid="handover-submit"
            >
              {t('handover.submit')}
            </button>
          </form>
        </Panel>
        <Panel title={t('handover.log')} testId="handover-log">
          {list.length === 0 && <p className="muted">{t('handover.none')}</p>}
          <ol className="handover-list">
            {list.map((h) => (
              <li
                key={h.id}
                className="handover-entry"
                data-testid="handover-entry"
                data-acknowledged={h.acknowledgedAt ? 'true' : 'false'}
              >
                <p className="small muted">
                  {t('handover.writtenBy', { name: h.writtenByName ?? h.writtenBy, time: formatDateTime(h.writtenAt) })}
                </p>
                <p className="handover-summary">{h.summary}</p>
                <Items items={h.items} testId="handover-items" />
                {h.acknowledgedAt ? (
                  <p className="small ok" data-testid="handover-acknowledged">
                    {t('handover.acknowledgedBy', {
                      name: h.acknowledgedByName ?? h.acknowledgedBy ?? '',
                      time: formatDateTime(h.acknowledgedAt),
                    })}
                  </p>
                ) : h.writtenBy === user?.username ? (
                  <p className="small muted">{t('handover.awaiting')}</p>
                ) : (
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={acking.busy}
                    onClick={() => void acking.run(h.id)}
                    data-testid="handover-ack"
                  >
                    {t('handover.acknowledge')}
                  </button>
                )}
              </li>
            ))}
          </ol>
          <ErrorMessage error={acking.error} testId="handover-ack-error" />
        </Panel>
      </div>
    </main>
  );
}
