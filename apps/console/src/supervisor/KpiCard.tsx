/** One big number with its label; `good` colours it against a target. */
export function KpiCard({
  label,
  value,
  sub,
  good,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  good?: boolean | null;
  testId: string;
}) {
  const tone = good === undefined || good === null ? '' : good ? 'kpi-good' : 'kpi-bad';
  return (
    <div className={`kpi ${tone}`} data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}
