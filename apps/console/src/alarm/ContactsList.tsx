import type { Contact } from '../api/types';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/useI18n';

/** Key-holders and emergency contacts in the order to call them, with tap-to-call links. */
export function ContactsList({ contacts }: { contacts: Contact[] }) {
  const { t, tx } = useI18n();
  const ordered = [...contacts].sort((a, b) => a.callOrder - b.callOrder);
  return (
    <Panel title={t('contacts.title')} testId="contacts">
      {ordered.length === 0 ? (
        <p className="muted">{t('contacts.none')}</p>
      ) : (
        <ol className="contacts">
          {ordered.map((c) => (
            <li key={`${c.callOrder}-${c.phone}`} data-testid="contact" data-call-order={c.callOrder}>
              <span className="call-order">{c.callOrder}</span>
              <span className="contact-who">
                <strong>{c.name}</strong>
                {c.relation && <span className="muted"> · {c.relation}</span>}
                <span className={`chip role-${c.role}`}>{tx('contacts', c.role)}</span>
              </span>
              <a className="tel" href={`tel:${c.phone.replace(/[^+0-9]/g, '')}`} data-testid="contact-phone">
                ☎ {c.phone}
              </a>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
