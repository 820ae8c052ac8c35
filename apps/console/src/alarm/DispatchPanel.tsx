import { useCallback, useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { isNotFound } from '../api/errors';
import type { Alarm, Contact, Dispatch, DispatchStatus } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';
import { DispatchForm, type DispatchRequest } from './DispatchForm';
import { DispatchItem } from './DispatchItem';

/**
 * Work orders to responders. Listed from the alarm detail's `dispatches` when the hub sends
 * them; hidden altogether if the hub has no dispatch endpoints (404).
 */
export function DispatchPanel({
  alarm,
  listed,
  contacts,
  onChange,
}: {
  alarm: Alarm;
  listed: Dispatch[] | undefined;
  contacts: Contact[];
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [unsupported, setUnsupported] = useState(false);
  const [local, setLocal] = useState<Dispatch[]>([]);
  const [version, setVersion] = useState(0);
  const dispatches = listed ?? local;

  // Not in the alarm detail: read them from the dispatch list endpoint.
  useEffect(() => {
    if (listed) return;
    const ctrl = new AbortController();
    endpoints.dispatches(alarm.id, ctrl.signal).then(
      (ds) => Array.isArray(ds) && setLocal(ds),
      (err) => isNotFound(err) && !ctrl.signal.aborted && setUnsupported(true),
    );
    return () => ctrl.abort();
  }, [alarm.id, listed, version]);

  const guard = useCallback(
    async <T,>(p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (err) {
        if (isNotFound(err) && !listed) setUnsupported(true);
        throw err;
      }
    },
    [listed],
  );

  const create = useCallback(
    async (r: DispatchRequest) => {
      const d = await guard(endpoints.dispatch(alarm.id, r));
      if (d && typeof d === 'object' && 'id' in d)
        setLocal((xs) => [...xs.filter((x) => x.id !== d.id), { ...r, ...d, status: d.status ?? 'dispatched' }]);
      setVersion((v) => v + 1);
      onChange();
    },
    [alarm.id, guard, onChange],
  );
  const setStatus = useCallback(
    async (id: string, status: DispatchStatus) => {
      const d = await guard(endpoints.dispatchStatus(alarm.id, id, status));
      setLocal((xs) => xs.map((x) => (x.id === id ? { ...x, status, ...(d && typeof d === 'object' ? d : {}) } : x)));
      setVersion((v) => v + 1);
      onChange();
    },
    [alarm.id, guard, onChange],
  );

  const creating = useAsyncAction(create);
  const updating = useAsyncAction(setStatus);
  if (unsupported) return null;
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
