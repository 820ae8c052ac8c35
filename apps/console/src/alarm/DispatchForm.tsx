import { useState, type FormEvent } from 'react';
import { RESPONDER_TYPES, type Contact, type ResponderType } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/useI18n';

export interface DispatchRequest {
  responderType: ResponderType;
  responderName: string;
  note?: string;
}

/** New work order; key-holder names are offered from the household's contacts. */
export function DispatchForm({
  contacts,
  busy,
  error,
  onSubmit,
}: {
  contacts: Contact[];
  busy: boolean;
  error: unknown;
  onSubmit: (r: DispatchRequest) => Promise<boolean>;
}) {
  const { t, tx } = useI18n();
  const [responderType, setType] = useState<ResponderType>('keyholder');
  const [responderName, setName] = useState('');
  const [note, setNote] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!responderName.trim()) return;
    const ok = await onSubmit({
      responderType,
      responderName: responderName.trim(),
      ...(note.trim() && { note: note.trim() }),
    });
    if (ok) {
      setName('');
      setNote('');
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="stack dispatch-form">
      <div className="row2">
        <label>
          {t('dispatch.responderType')}
          <select
            value={responderType}
            onChange={(e) => setType(e.target.value as ResponderType)}
            data-testid="dispatch-type"
          >
            {RESPONDER_TYPES.map((r) => (
              <option key={r} value={r}>
                {tx('dispatch.type', r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dispatch.responderName')}
          <input
            value={responderName}
            onChange={(e) => setName(e.target.value)}
            list="dispatch-contacts"
            required
            maxLength={100}
            data-testid="dispatch-name"
          />
          <datalist id="dispatch-contacts">
            {contacts.map((c) => (
              <option key={`${c.callOrder}-${c.phone}`} value={c.name} />
            ))}
          </datalist>
        </label>
      </div>
      <input
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('dispatch.note')}
        maxLength={500}
        data-testid="dispatch-note"
      />
      <ErrorMessage error={error} testId="dispatch-error" />
      <button type="submit" className="btn" disabled={busy || !responderName.trim()} data-testid="dispatch-submit">
        {busy ? t('dispatch.submitting') : t('dispatch.submit')}
      </button>
    </form>
  );
}
