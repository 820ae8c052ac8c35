import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import { RESPONDER_TYPES, type ActionPlan, type PlanResponder, type ResponderType } from '../api/types';
import { canSupervise, useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';
import { KINDS } from '../history/kinds';
import { DispatchExpectationsPanel } from '../dispatch/DispatchExpectationsPanel';

/** Responders as text lines "name | phone | type". */
const toLines = (rs: PlanResponder[]) => rs.map((r) => `${r.name} | ${r.phone} | ${r.type}`).join('\n');
function fromLines(text: string): PlanResponder[] {
  return text
    .split('\n')
    .map((l) => l.split('|').map((s) => s.trim()))
    .filter((p) => p[0])
    .map(([name, phone = '', type = 'community_worker']) => ({
      name,
      phone,
      type: ((RESPONDER_TYPES as readonly string[]).includes(type) ? type : 'community_worker') as ResponderType,
    }));
}

/** Supervisors set the call script and responders for each alarm kind, and how soon responders are expected. */
export function ActionPlansPage() {
  const { t, tx } = useI18n();
  const { user } = useAuth();
  const orgId = user?.organisationId ?? null;
  const [plans, setPlans] = useState<ActionPlan[]>([]);
  const [kind, setKind] = useState<string>('sos');
  const [steps, setSteps] = useState('');
  const [responders, setResponders] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // Set while the supervisor has typed into the form: plans that arrive later do not overwrite it.
  const [edited, setEdited] = useState(false);

  useEffect(() => {
    if (!orgId) return;
    const ctrl = new AbortController();
    endpoints.actionPlans(orgId, ctrl.signal).then(setPlans, (err: unknown) => !ctrl.signal.aborted && setError(err));
    return () => ctrl.abort();
  }, [orgId]);
  useEffect(() => {
    if (edited) return;
    const p = plans.find((x) => x.kind === kind);
    setSteps(p ? p.steps.join('\n') : '');
    setResponders(p ? toLines(p.responders) : '');
  }, [kind, plans, edited]);

  const save = useCallback(async () => {
    if (!orgId) return;
    const plan = await endpoints.putActionPlan(orgId, kind, {
      steps: steps
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      responders: fromLines(responders),
    });
    setPlans((ps) => [...ps.filter((p) => p.kind !== kind), plan]);
    setEdited(false);
    setSaved(true);
  }, [orgId, kind, steps, responders]);
  const saving = useAsyncAction(save);

  if (!canSupervise(user?.role) || !orgId) {
    return (
      <main className="page">
        <p className="error">{t('supervisor.forbidden')}</p>
      </main>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saving.run();
  };
  return (
    <main className="page plans-page" data-testid="plans-page">
      <div className="page-head">
        <h1>{t('plans.title')}</h1>
      </div>
      <ErrorMessage error={error} />
      <Panel title={t('plans.edit')} testId="plan-editor">
        <form className="stack" onSubmit={submit}>
          <label className="field">
            <span>{t('plans.kind')}</span>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value);
                setEdited(false);
                setSaved(false);
              }}
              data-testid="plan-kind"
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {tx('kind', k)}
                  {plans.some((p) => p.kind === k) ? ' ✓' : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('plans.steps')}</span>
            <textarea
              rows={6}
              value={steps}
              onChange={(e) => {
                setSteps(e.target.value);
                setEdited(true);
                setSaved(false);
              }}
              data-testid="plan-steps"
            />
          </label>
          <label className="field">
            <span>{t('plans.responders')}</span>
            <textarea
              rows={4}
              value={responders}
              onChange={(e) => {
                setResponders(e.target.value);
                setEdited(true);
                setSaved(false);
              }}
              placeholder="周丽 | +86 24 2345 6789 | community_worker"
              data-testid="plan-responders"
            />
          </label>
          <ErrorMessage error={saving.error} testId="plan-error" />
          <button type="submit" className="btn btn-primary" disabled={saving.busy} data-testid="plan-save">
            {t('plans.save')}
          </button>
          {saved && (
            <p className="small ok" role="status" data-testid="plan-saved">
              {t('plans.saved')}
            </p>
          )}
        </form>
      </Panel>
      <DispatchExpectationsPanel organisationId={orgId} />
    </main>
  );
}
