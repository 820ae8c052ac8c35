import { useCallback } from 'react';
import { endpoints } from '../api/endpoints';
import { CALL_OUTCOMES, type Alarm, type CallList, type CallListEntry, type CallOutcome } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { formatTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';

/**
 * Whom to call, in order (household contacts, then the plan's responders), with what each call
 * gave; one click logs a call's outcome, one click dispatches the person.
 */
export function CallListPanel({
  alarm,
  list,
  error,
  onChange,
}: {
  alarm: Alarm;
  list: CallList | null;
  error: unknown;
  onChange: () => void;
}) {
  const { t, tx } = useI18n();
  const open = alarm.state !== 'resolved';
  const log = useCallback(
    async (e: CallListEntry, outcome: CallOutcome) => {
      await endpoints.logCall(alarm.id, { calleeType: e.calleeType, calleeName: e.name, phone: e.phone, outcome });
      onChange();
    },
    [alarm.id, onChange],
  );
  const dispatch = useCallback(
    async (e: CallListEntry) => {
      await endpoints.dispatch(alarm.id, { responderType: e.responderType, responderName: e.name });
      onChange();
    },
    [alarm.id, onChange],
  );
  const logging = useAsyncAction(log);
  const dispatching = useAsyncAction(dispatch);
  return (
    <Panel title={t('calls.title')} testId="call-list">
      <ErrorMessage error={error} testId="call-list-error" />
      {list && list.entries.length === 0 && <p className="muted">{t('calls.none')}</p>}
      {list && list.entries.length > 0 && (
        <ol className="call-list">
          {list.entries.map((e, i) => {
            const next = list.next === i;
            return (
              <li
                key={`${e.calleeType}-${e.name}-${e.phone}`}
                className={`call-entry ${next ? 'call-next' : ''}`}
                data-testid="call-entry"
                data-callee={e.name}
                data-next={next ? 'true' : 'false'}
                data-last-outcome={e.lastOutcome ?? ''}
              >
                <div className="call-who">
                  <span className="call-order">{i + 1}</span>
                  <strong>{e.name}</strong>
                  <span className="chip">
                    {e.calleeType === 'contact' ? tx('contacts', e.role) : tx('dispatch.type', e.role)}
                  </span>
                  {e.relation && <span className="muted small"> · {e.relation}</span>}
                  {next && <span className="badge next-badge">{t('calls.next')}</span>}
                </div>
                <div className="call-phone">
                  <a className="tel" href={`tel:${e.phone.replace(/[^+0-9]/g, '')}`}>
                    ☎ {e.phone}
                  </a>
                  {e.lastOutcome && (
                    <span className={`small outcome-${e.lastOutcome}`} data-testid="call-last-outcome">
                      {t('calls.last', { outcome: tx('call.outcome', e.lastOutcome), count: e.attempts })}
                    </span>
                  )}
                </div>
                {open && (
                  <div className="call-actions" role="group" aria-label={t('calls.logFor', { name: e.name })}>
                    {CALL_OUTCOMES.map((o) => (
                      <button
                        key={o}
                        type="button"
                        className={`btn btn-small ${o === 'answered' ? 'btn-primary' : ''}`}
                        disabled={logging.busy}
                        data-testid={`call-${o}`}
                        onClick={() => void logging.run(e, o)}
                      >
                        {tx('call.outcome', o)}
                      </button>
                    ))}
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={dispatching.busy}
                      data-testid="call-dispatch"
                      onClick={() => void dispatching.run(e)}
                    >
                      {t('calls.dispatch')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <ErrorMessage error={logging.error ?? dispatching.error} testId="call-error" />
      {list && list.attempts.length > 0 && (
        <ul className="call-attempts small" aria-label={t('calls.attempts')}>
          {list.attempts.map((a) => (
            <li key={a.id} data-testid="call-attempt">
              {formatTime(a.at)} · {a.calleeName} · {tx('call.outcome', a.outcome)} · {a.actorName ?? a.actor}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
