import { authHeaders, notifyUnauthorized } from '../api/client';
import { historyParams } from '../api/endpoints';
import { ApiError } from '../api/errors';
import type { HistoryQuery } from '../api/types';

/** Fetches the CSV export with the session's token and hands it to the browser as a file. */
export async function downloadCsv(q: HistoryQuery, lang: string): Promise<void> {
  const res = await fetch(
    `/api/history/alarms.csv?${historyParams({ ...q, page: undefined })}&lang=${encodeURIComponent(lang)}`,
    {
      headers: { Accept: 'text/csv', ...authHeaders() },
    },
  );
  if (!res.ok) {
    if (res.status === 401) notifyUnauthorized();
    throw ApiError.from(res.status, (await res.json().catch(() => ({}))) as never);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `alarms-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
