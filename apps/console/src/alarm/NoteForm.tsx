import { useCallback, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useDraft } from '../components/useDraft';
import { useI18n } from '../i18n/useI18n';

export function NoteForm({ alarmId, onDone }: { alarmId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText, clearText] = useDraft(`note.${alarmId}`);
  const add = useCallback(
    async (value: string) => {
      await endpoints.addNote(alarmId, value);
      onDone();
    },
    [alarmId, onDone],
  );
  const { run, busy, error } = useAsyncAction(add);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() && (await run(text.trim()))) clearText();
  };
  return (
    <Panel title={t('notes.title')} testId="note-panel">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <textarea
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('notes.placeholder')}
          data-testid="note-text"
          maxLength={2000}
        />
        <ErrorMessage error={error} testId="note-error" />
        <button type="submit" className="btn" disabled={busy || !text.trim()} data-testid="note-submit">
          {busy ? t('notes.adding') : t('notes.add')}
        </button>
      </form>
    </Panel>
  );
}
