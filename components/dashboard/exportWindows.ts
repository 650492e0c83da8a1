/** Downloads the shown range and sensors as CSV or JSON: the records `/api/windows` returns for them. */
import type { RequestResult } from '@/components/shared/request';
import { windowsToCsv } from '@/lib/export/windowsCsv';
import { fetchRange } from '@/components/dashboard/rangeFetch';

export async function exportWindows(
  format: 'csv' | 'json',
  from: number,
  to: number,
  sensors: readonly string[],
): Promise<RequestResult<{ count: number; truncated: boolean }>> {
  const range = await fetchRange(from, to, sensors, new AbortController().signal);
  if (!range.ok) return range;
  const { windows, truncated } = range.data;
  const text = format === 'csv' ? windowsToCsv(windows) : JSON.stringify(windows, null, 1);
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `windows-${new Date(from).toISOString().replace(/[:.]/g, '-')}.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true, data: { count: windows.length, truncated } };
}
