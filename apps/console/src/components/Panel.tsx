import type { ReactNode } from 'react';

/** A titled card on the detail and supervisor pages. */
export function Panel({
  title,
  testId,
  actions,
  children,
  className = '',
}: {
  title: string;
  testId?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className}`} data-testid={testId}>
      <header className="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
