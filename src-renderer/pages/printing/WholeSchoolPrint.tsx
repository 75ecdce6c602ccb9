import { useEffect, useMemo, useRef, useState } from 'react';
import type { AcademicYear, SchoolClass } from '../../../src-shared/contract/school';
import { api, asApiError } from '../../api/client';
import { plural } from '../../school/common';
import { pdfBlob, saveBlob } from './pdf-file';
import { periodForNumber, periodNumberOptions, sortClasses } from './periods';

// The whole school for a period, one class at a time (issue 5 §3). There is no core method
// for it yet, so the renderer loops over print.classJournal: each class is printed, logged
// and kept here as a Blob until saved. In Electron a core-side job writing one PDF per class
// into a chosen folder would be better: nothing held in the window, and it survives a reload.

interface ClassOutcome {
  classId: number;
  className: string;
  status: 'ok' | 'failed' | 'skipped';
  message: string | null;
  blob: Blob | null;
  fileName: string | null;
  sheets: number | null;
  sha256: string | null;
}

interface Progress {
  index: number;
  total: number;
  className: string;
}

export function WholeSchoolPrint({ year, classes, onPrinted }: { year: AcademicYear; classes: readonly SchoolClass[]; onPrinted(): void }) {
  const periodOptions = useMemo(() => periodNumberOptions(year), [year]);
  const [period, setPeriod] = useState(periodOptions[0]?.value ?? 'year');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcomes, setOutcomes] = useState<ClassOutcome[]>([]);
  const [stopping, setStopping] = useState(false);
  const [finished, setFinished] = useState<string | null>(null);
  const cancelled = useRef(false);

  // Leaving the page stops the loop after the class being printed.
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const running = progress !== null;
  const ordered = useMemo(() => sortClasses(classes), [classes]);

  async function run() {
    cancelled.current = false;
    setStopping(false);
    setFinished(null);
    setOutcomes([]);
    const done: ClassOutcome[] = [];
    for (const [index, schoolClass] of ordered.entries()) {
      if (cancelled.current) break;
      setProgress({ index: index + 1, total: ordered.length, className: schoolClass.name });
      const base = { classId: schoolClass.id, className: schoolClass.name, blob: null, fileName: null, sheets: null, sha256: null };
      const chosen = period === 'year' ? 'year' : periodForNumber(year, schoolClass, Number(period))?.id;
      if (chosen === undefined) {
        done.push({ ...base, status: 'skipped', message: `Для ${schoolClass.grade} класса нет такого периода.` });
      } else {
        try {
          const printed = await api.call('print.classJournal', { classId: schoolClass.id, period: chosen });
          done.push({ ...base, status: 'ok', message: null, blob: pdfBlob(printed.pdfBase64), fileName: printed.fileName, sheets: printed.sheets, sha256: printed.sha256 });
        } catch (error) {
          done.push({ ...base, status: 'failed', message: asApiError(error).message });
        }
      }
      setOutcomes([...done]);
    }
    const printedCount = done.filter((outcome) => outcome.status === 'ok').length;
    setFinished(
      cancelled.current
        ? `Остановлено: напечатано ${printedCount} из ${ordered.length}.`
        : `Готово: напечатано ${printedCount} ${plural(printedCount, 'класс', 'класса', 'классов')} из ${ordered.length}.`,
    );
    setProgress(null);
    onPrinted();
  }

  function saveAll() {
    for (const outcome of outcomes) if (outcome.blob && outcome.fileName) saveBlob(outcome.blob, outcome.fileName);
  }

  const ready = outcomes.filter((outcome) => outcome.blob);

  return (
    <section className="card" aria-label="Вся школа">
      <h2>Вся школа за период</h2>
      <p className="muted small">
        Журналы всех классов {year.name} учебного года печатаются по одному; каждая печать записывается в журнал печати. Готовые файлы сохраняются
        кнопкой «Сохранить» у класса или «Сохранить все».
      </p>
      <div className="toolbar school-toolbar">
        <label className="inline-choice">
          Период{' '}
          <select value={period} onChange={(event) => setPeriod(event.target.value)} disabled={running}>
            {periodOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button
            type="button"
            className="button"
            disabled={stopping}
            onClick={() => {
              cancelled.current = true;
              setStopping(true);
            }}
          >
            {stopping ? 'Останавливаю после текущего класса…' : 'Отменить'}
          </button>
        ) : (
          <button type="button" className="button button-primary" disabled={ordered.length === 0} onClick={() => void run()}>
            Напечатать все классы ({ordered.length})
          </button>
        )}
        {!running && ready.length > 0 && (
          <button type="button" className="button" onClick={saveAll}>
            Сохранить все ({ready.length})
          </button>
        )}
      </div>
      {progress && (
        <div className="print-progress" role="status">
          <progress max={progress.total} value={progress.index - 1} aria-label="Печать всей школы" />
          <span>
            Класс {progress.index} из {progress.total}: {progress.className}
          </span>
        </div>
      )}
      {finished && (
        <p className="message message-info" role="status">
          {finished}
        </p>
      )}
      {outcomes.length > 0 && (
        <table className="table table-compact" aria-label="Классы, напечатанные для всей школы">
          <thead>
            <tr>
              <th>Класс</th>
              <th>Результат</th>
              <th>SHA-256</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {outcomes.map((outcome) => (
              <tr key={outcome.classId}>
                <td className="nowrap">{outcome.className}</td>
                <td>
                  {outcome.status === 'ok' && (
                    <span className="badge badge-ok">
                      {outcome.sheets} {plural(outcome.sheets ?? 0, 'лист', 'листа', 'листов')}
                    </span>
                  )}
                  {outcome.status === 'skipped' && <span className="badge badge-warn">пропущен</span>}
                  {outcome.status === 'failed' && <span className="badge badge-bad">не напечатан</span>}
                  {outcome.message && <span className="small"> {outcome.message}</span>}
                </td>
                <td className="mono small">{outcome.sha256 ? `${outcome.sha256.slice(0, 16)}…` : '—'}</td>
                <td>
                  {outcome.blob && outcome.fileName && (
                    <button type="button" className="button button-link" onClick={() => saveBlob(outcome.blob!, outcome.fileName!)}>
                      Сохранить
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
