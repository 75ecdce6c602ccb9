import { useEffect, useState } from 'react';
import type { PrintLogEntry } from '../../../src-shared/contract/printing';
import { api, asApiError, type ApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { formatInstant } from '../../lib/time';
import { ErrorMessage } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { sha256Hex } from './pdf-file';

// The print log (D-39): who printed what, when, and the PDF's SHA-256, so a
// reprint can be compared with the sewn copy. The administration sees every print, anyone
// else their own (the core decides).

function LogTable({ entries, label }: { entries: readonly PrintLogEntry[]; label: string }) {
  const { school } = useSession();
  return (
    <table className="table table-compact print-log" aria-label={label}>
      <thead>
        <tr>
          <th>Когда</th>
          <th>Кто</th>
          <th>Документ</th>
          <th className="cell-number">Листов</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td className="nowrap">{formatInstant(entry.at, school.timeZone)}</td>
            <td>{entry.userName ?? <span className="muted">{entry.source === 'cli' ? 'командная строка' : '—'}</span>}</td>
            <td>
              {entry.title}
              {entry.options.preliminary === true ? <span className="muted"> — предварительная версия</span> : null}
              {entry.historyNow !== null ? (
                <div className="muted small" title="Сравните с отпечатком на заверительной странице: если история правок изменена задним числом, они не совпадут">
                  Отпечаток журнала изменений сейчас: {entry.historyNow}
                </div>
              ) : null}
            </td>
            <td className="cell-number">{entry.sheets}</td>
            <td className="mono sha small">{entry.sha256}</td>
          </tr>
        ))}
        {entries.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              Печатей ещё не было.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** The latest prints; `version` changes after every print so the list re-reads. */
export function PrintLog({ version }: { version: number }) {
  const log = useApiQuery('print.log', { limit: 20 });
  const { reload } = log;
  useEffect(() => {
    if (version > 0) void reload();
  }, [version, reload]);

  return (
    <section className="card" aria-label="Журнал печати">
      <h2>Журнал печати</h2>
      <ErrorMessage error={log.error} />
      {log.data && <LogTable entries={log.data} label="Последние печати" />}
      <CompareFile />
    </section>
  );
}

/** «Is this file the one we printed?»: its SHA-256 computed here, looked up in the log. */
function CompareFile() {
  const [result, setResult] = useState<{ fileName: string; sha256: string; matches: PrintLogEntry[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function check(file: File) {
    setError(null);
    setResult(null);
    try {
      const sha256 = await sha256Hex(file);
      const matches = await api.call('print.log', { limit: 20, sha256 });
      setResult({ fileName: file.name, sha256, matches });
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  }

  return (
    <div className="form-section">
      {/* The browser's own file button speaks the PC's language («Choose File»); ours is Russian. */}
      <div className="compare-file">
        <span>Подшитый экземпляр или перепечатка под рукой в PDF? Сверьте его с журналом печати.</span>
        <label className="button">
          Выбрать PDF…
          <input
            type="file"
            className="visually-hidden"
            accept="application/pdf,.pdf"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void check(file);
            }}
          />
        </label>
      </div>
      <ErrorMessage error={error} />
      {result &&
        (result.matches.length > 0 ? (
          <div className="message message-success" role="status">
            Файл «{result.fileName}» совпадает с напечатанным: {result.matches.map((entry) => entry.title).join('; ')}.
          </div>
        ) : (
          <div className="message message-warn" role="status">
            Файла «{result.fileName}» (SHA-256 <span className="mono">{result.sha256.slice(0, 16)}…</span>) нет в журнале печати: он отличается от всех
            напечатанных документов или напечатан не вами.
          </div>
        ))}
    </div>
  );
}
