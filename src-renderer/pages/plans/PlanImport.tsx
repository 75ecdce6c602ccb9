import { useState } from 'react';
import type { PlanImportResult, PlanView } from '../../../src-shared/contract/plans';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorMessage, plural, russianDate } from '../../ui/common';
import { useAction } from '../../api/use-api';
import { FileChoice } from '../../ui/file-choice';
import { JobProgress, useJob } from '../../ui/job-progress';
import { readChosenFile, type ChosenFile } from '../../lib/files';

// A КТП from XLSX or CSV: the core checks the whole file first (per-row Russian errors and
// warnings); «Загрузить» writes it only when no row has an error.

export function PlanImport({ loadId, version, onDone }: { loadId: number; version: number | null; onDone(view: PlanView): void }) {
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [preview, setPreview] = useState<PlanImportResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<ApiError | string | null>(null);
  const apply = useAction();
  // The write runs as a job in the core (read, check, write; «Остановить» writes nothing);
  // once it is done the plan is read again.
  const tracker = useJob('plans.import', (job) => {
    if (job.state === 'done') void api.call('plans.get', { loadId }).then(onDone, (error: unknown) => setProblem(asApiError(error)));
  });

  async function choose(chosenFile: File | undefined) {
    setPreview(null);
    setProblem(null);
    apply.clearError();
    tracker.clear();
    if (!chosenFile) return;
    const read = await readChosenFile(chosenFile);
    if ('problem' in read) {
      setFile(null);
      setProblem(read.problem);
      return;
    }
    setFile(read.chosen);
    await check(read.chosen, undefined);
  }

  /** Without a sheet the core reads the first sheet where a plan's headers are found. */
  async function check(chosen: ChosenFile, sheet: string | undefined) {
    setChecking(true);
    setProblem(null);
    try {
      setPreview(await api.call('plans.import', { loadId, version, fileName: chosen.name, content: chosen.content, sheet }));
    } catch (error) {
      setPreview(null);
      setProblem(asApiError(error));
    } finally {
      setChecking(false);
    }
  }

  const valid = preview !== null && preview.errorRows === 0 && preview.fileErrors.length === 0 && preview.rows.length > 0;
  const warnings = preview ? preview.rows.filter((row) => row.warnings.length > 0).length : 0;

  return (
    <section className="card plan-import" aria-label="Загрузка КТП из файла">
      <h3>Загрузить КТП из файла</h3>
      <FileChoice label="Файл XLSX или CSV" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" fileName={file?.name ?? null} onFile={(chosen) => void choose(chosen)} />
      <p className="muted small">Столбцы находятся по заголовкам: № урока, раздел, тема, количество часов, дата по плану или неделя, контрольная работа, домашнее задание. CSV — в UTF-8 или Windows-1251. Строки плана заменятся строками файла.</p>
      {checking && <p className="muted">Проверяю файл…</p>}
      <ErrorMessage error={problem ?? apply.error} />
      {preview && file && preview.sheets.length > 1 && (
        <label className="plan-import-sheet">
          <span className="field-label">Лист книги</span>
          <select value={preview.sheet ?? ''} disabled={checking} onChange={(event) => void check(file, event.target.value)}>
            {preview.sheets.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      {preview && (
        <>
          <div className={valid ? 'message message-success' : 'message message-error'} role="status" aria-label="Итог проверки">
            {preview.fileErrors.map((error) => (
              <div key={error}>{error}</div>
            ))}
            {preview.rows.length > 0 && (
              <div>
                «{file?.name}»: {preview.rows.length} {plural(preview.rows.length, 'урок', 'урока', 'уроков')}, {preview.plannedHours} {plural(preview.plannedHours, 'час', 'часа', 'часов')}.{' '}
                {preview.errorRows === 0
                  ? `Ошибок нет — можно загружать.${warnings > 0 ? ` Предупреждений: ${warnings}.` : ''}`
                  : `С ошибками: ${preview.errorRows} ${plural(preview.errorRows, 'строка', 'строки', 'строк')}. Исправьте файл и выберите его снова — пока ничего не загружено.`}
              </div>
            )}
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={!valid || apply.busy || tracker.active || !file}
              onClick={() =>
                void apply.run(async () => {
                  tracker.track(await api.call('plans.importApply', { loadId, version, fileName: file!.name, content: file!.content, sheet: preview.sheet ?? undefined }));
                })
              }
            >
              {apply.busy ? 'Загружаю…' : 'Загрузить'}
            </button>
          </div>
          <JobProgress tracker={tracker} currentUnit="шага" label="Ход загрузки КТП" />
          {preview.rows.length > 0 && (
            <div className="table-scroll plan-import-rows">
              <table className="table table-compact" aria-label="Строки файла">
                <thead>
                  <tr>
                    <th className="cell-number">Строка</th>
                    <th className="cell-number">№</th>
                    <th>Раздел</th>
                    <th>Тема</th>
                    <th className="cell-number">Часы</th>
                    <th>Дата / неделя</th>
                    <th>Замечания</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row) => (
                    <tr key={row.row} className={row.errors.length > 0 ? 'row-invalid' : undefined}>
                      <td className="cell-number">{row.row}</td>
                      <td className="cell-number">{row.number}</td>
                      <td>{row.section}</td>
                      <td>{row.topic}</td>
                      <td className="cell-number">{row.hours}</td>
                      <td>{row.plannedDate ? russianDate(row.plannedDate) : row.plannedWeek !== null ? `${row.plannedWeek}-я неделя` : ''}</td>
                      <td className="import-errors">
                        {row.errors.map((error) => (
                          <div key={error}>{error}</div>
                        ))}
                        {row.warnings.map((warning) => (
                          <div key={warning} className="plan-warning">
                            {warning}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
