import { useCallback, useState } from 'react';
import { ApiError } from '../api/errors';
import type { AlarmDetail } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { Link } from '../router/Link';
import { AcknowledgeButton } from './AcknowledgeButton';
import { ActionPlanPanel } from './ActionPlanPanel';
import { CallListPanel } from './CallListPanel';
import { HoldPanel } from './HoldPanel';
import { useCallList } from './useCallList';
import { AlarmSummary } from './AlarmSummary';
import { ContactsList } from './ContactsList';
import { DeviceList } from './DeviceList';
import { DispatchPanel } from './DispatchPanel';
import { FollowUpVisitPanel } from './FollowUpVisitPanel';
import { NoteForm } from './NoteForm';
import { ResidentCard } from './ResidentCard';
import { ResolveForm } from './ResolveForm';
import { Timeline } from './Timeline';
import { useAlarmDetail } from './useAlarmDetail';
import { useBedContext } from './useBedContext';
import { VitalsPanel } from './VitalsPanel';

/** Everything an operator needs for one alarm: who, where, whom to call, what happened, what to do. */
export function AlarmDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { upsert } = useAlarmQueue();
  const { detail, error, loading, reload } = useAlarmDetail(id);
  const ctx = useBedContext(detail?.alarm.bedId);
  const [version, setVersion] = useState(0);
  const calls = useCallList(id, version);

  const afterAction = useCallback(
    (res?: AlarmDetail) => {
      if (res) upsert(res.alarm);
      setVersion((v) => v + 1);
      void reload();
    },
    [upsert, reload],
  );

  if (!detail) {
    return (
      <main className="page detail-page" data-testid="detail-page">
        <Link href="/" className="back">
          ← {t('nav.back')}
        </Link>
        {loading ? (
          <p className="muted">{t('detail.loading')}</p>
        ) : error instanceof ApiError && error.status === 404 ? (
          <p className="error">{t('detail.notFound')}</p>
        ) : (
          <ErrorMessage error={error} />
        )}
      </main>
    );
  }
  const { alarm } = detail;
  const contacts = ctx.household?.contacts ?? [];
  return (
    <main className="page detail-page" data-testid="detail-page" data-alarm-id={alarm.id}>
      <Link href="/" className="back" data-testid="back-to-queue">
        ← {t('nav.back')}
      </Link>
      <div className="detail-grid">
        <div className="col col-left">
          <ResidentCard resident={ctx.resident} household={ctx.household} />
          <ActionPlanPanel plan={calls.list?.plan} />
          <ContactsList contacts={contacts} />
          <DeviceList devices={ctx.bed?.devices ?? []} />
        </div>
        <div className="col col-main">
          <AlarmSummary alarm={alarm} bedLabel={alarm.bedLabel ?? ctx.bed?.label ?? null} />
          <VitalsPanel bedId={alarm.bedId} raisedAt={alarm.raisedAt} />
          <Timeline detail={detail} />
        </div>
        <div className="col col-actions">
          <AcknowledgeButton alarm={alarm} onDone={afterAction} />
          <CallListPanel alarm={alarm} list={calls.list} error={calls.error} onChange={afterAction} />
          <HoldPanel alarm={alarm} onDone={afterAction} />
          <DispatchPanel key={version} alarm={alarm} contacts={contacts} onChange={afterAction} />
          <NoteForm alarmId={alarm.id} onDone={afterAction} />
          <ResolveForm alarm={alarm} onDone={afterAction} />
          <FollowUpVisitPanel alarm={alarm} residentId={ctx.resident?.id ?? null} />
        </div>
      </div>
    </main>
  );
}
