import type { AlarmDetail } from '../api/types';
import { Panel } from '../components/Panel';
import { formatDateTime, isoAttr } from '../i18n/format';
import { actorName, describeAlarm, timelineText } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { buildTimeline } from './buildTimeline';

export function Timeline({ detail }: { detail: AlarmDetail }) {
  const i18n = useI18n();
  const { t, tx } = i18n;
  const items = buildTimeline(detail);
  return (
    <Panel title={t('timeline.title')} testId="timeline">
      {items.length === 0 ? (
        <p className="muted">{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {items.map((e) => (
            <li key={e.key} className={`tl tl-${e.action}`} data-testid="timeline-entry" data-action={e.action}>
              <time dateTime={isoAttr(e.at)}>{formatDateTime(e.at)}</time>
              <span className="tl-action">{tx('action', e.action)}</span>
              {e.from && e.to && e.from !== e.to && (
                <span className="muted small">
                  {tx('state', e.from)} → {tx('state', e.to)}
                </span>
              )}
              <span className="muted small" data-testid="timeline-actor">
                {t('timeline.by', { actor: actorName(e.actor, detail.actors, t) })}
              </span>
              {(e.note || e.code) && (
                <p className="tl-text" data-testid="timeline-text">
                  {e.action === 'raise' && detail.alarm.reason
                    ? describeAlarm(detail.alarm, i18n)
                    : timelineText(e, i18n, detail.alarm)}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
