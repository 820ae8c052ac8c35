import { useCallback, useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Alarm, Contact, Dispatch, DispatchStep } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { DispatchForm, type DispatchRequest } from './DispatchForm';
import { DispatchItem } from './DispatchItem';

/** Work orders to responders, read from the alarm's dispatch list, with due times and late ones marked. */
export function DispatchPanel({
  alarm,
  contacts,
  onChange,
}: {
  alarm: Alarm;
  contacts: Contact[];
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [dispatches, setDispatches] = useState<Dispatch[]>([]);
  const [version, setVersion] = useState(0);

  const { subscribe } = useAlarmQueue();

  // A responder flagged late (or moved on at another console) shows without a reload.
  useEffect(
    () =>
      subscribe((e) => {
        if (e.alarm.id === alarm.id && (e.type === 'alarm.dispatch_overdue' || e.type === 'alarm.updated'))
          setVersion((v) => v + 1);
      }),
    [subscribe, alarm.id],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    endpoints.dispatches(alarm.id, ctrl.signal).then(setDispatches, () => undefined);
    return () => ctrl.abort();
  }, [alarm.id, version]);

  const create = useCallback(
    async (r: DispatchRequest) => {
      const d = await endpoints.dispatch(alarm.id, r);
      setDispatches((xs) => [...xs.filter((x) => x.id !== d.id), d]);
      setVersion((v) => v + 1);
      onChange();
    },
    [alarm.id, onChange],
  );
  const setStatus = useCallback(
    async (id: string, status: DispatchStep) => {
      const d = await endpoints.dispatchStatus(alarm.id, id, status);
      setDispatches((xs) => xs.map((x) => (x.id === id ? d : x)));
      setVersion((v) => v + 1);
      onChange();
    },
    [alarm.id, onChange],
  );

  const creating = useAsyncAction(create);
  const updating = useAsyncAction(setStatus);
  const closedAlarm = alarm.state === 'resolved';
  return (
    <Panel title={t('dispatch.title')} testId="dispatch-panel">
      {dispatches.length === 0 ? (
        <p className="muted">{t('dispatch.none')}</p>
      ) : (
        <ul className="dispatches">
          {dispatches.map((d) => (
            <DispatchItem key={d.id} dispatch={d} busy={updating.busy} onStatus={(s) => void updating.run(d.id, s)} />
          ))}
        </ul>
      )}
      <ErrorMessage error={updating.error} testId="dispatch-status-error" />
      {!closedAlarm && (
        <DispatchForm contacts={contacts} busy={creating.busy} error={creating.error} onSubmit={creating.run} />
      )}
    </Panel>
  );
}
