import type { MamgateApi } from '../../api/client.ts';

/** Saves a report's rows (one status, or all) as a file through a blob link; answers the file's name. */
export async function downloadReportFile(api: MamgateApi, id: string, format: 'csv' | 'jsonl', status?: string): Promise<string> {
  const blob = await api.downloadReport(id, format, status);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `identity-alignment-${id}${status ? `-${status}` : ''}.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return link.download;
}
