import { useState } from 'react';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorMessage, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { PaperResult, type PrintedPaper } from './ExtractsPage';

// The class teacher's home (003 App.2 §2): when her class's last extract for parents was
// printed, a reminder once it is more than 14 days old, and the fortnight's extract in one click.

export function ExtractsWidget() {
  const home = useApiQuery('extracts.home', {});
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [printed, setPrinted] = useState<PrintedPaper | null>(null);
  if (home.error) return <ErrorMessage error={home.error} />;
  if (!home.data || home.data.length === 0) return null;

  async function print(classId: number, from: string, to: string) {
    setBusy(classId);
    setError(null);
    setPrinted(null);
    try {
      setPrinted(await api.call('extracts.print', { classId, from, to }));
      await home.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div aria-label="Отчёты для родителей">
      <h2>Отчёты для родителей</h2>
      <ul>
        {home.data.map((c) => (
          <li key={c.classId} data-class={c.className}>
            {c.overdue ? (
              <strong className="warning" role="status">
                {c.className}: {c.lastPrintedOn ? `последний отчёт для родителей напечатан ${russianDate(c.lastPrintedOn)} — больше двух недель назад` : 'отчёт для родителей ещё не печатался'}. Пора напечатать.
              </strong>
            ) : (
              <span>
                {c.className}: {c.lastPrintedOn ? `последний отчёт для родителей напечатан ${russianDate(c.lastPrintedOn)}` : 'отчёт для родителей ещё не печатался'}.
              </span>
            )}{' '}
            {c.unacknowledged > 0 && (
              <a href={`#/extracts?class=${c.classId}`}>
                Не вернули талон: {c.unacknowledged}
              </a>
            )}{' '}
            <button type="button" className="button" disabled={busy !== null} onClick={() => void print(c.classId, c.suggestedFrom, c.suggestedTo)}>
              {busy === c.classId ? 'Формируется…' : `Напечатать отчёт ${c.className} за ${russianDate(c.suggestedFrom)} – ${russianDate(c.suggestedTo)}`}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
      {printed && <PaperResult printed={printed} compact />}
    </div>
  );
}
