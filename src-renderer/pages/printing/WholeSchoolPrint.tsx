import { useEffect, useMemo, useRef, useState } from 'react';
import type { SchoolJobStatus } from '../../../src-shared/contract/printing';
import type { AcademicYear, SchoolClass } from '../../../src-shared/contract/school';
import { api, asApiError } from '../../api/client';
import { ErrorMessage, plural } from '../../school/common';
import { useApiQuery } from '../../school/use-api';
import { CheckboxField, Form, localValidation, SelectField, TextField } from '../../ui/form';
import { periodNumberOptions } from './periods';
import { chooseFolder, folderChoice } from './shell-printing';

// The whole school for a period: a job in the core writes one PDF per class into
// a folder, one class at a time, and records each in the print log; this card starts it,
// polls its progress every half second, and can stop it after the current class. Nothing is
// held in the window, so the page may be left and come back (the job's id is kept for this
// tab). The folder comes from the shell's folder picker in the app, or is typed in a browser.

const POLL_MS = 500;
const JOB_KEY = 'zhurnal.schoolPrintJob';

function rememberJob(yearId: number, jobId: string | null): void {
  if (jobId) sessionStorage.setItem(JOB_KEY, JSON.stringify({ yearId, jobId }));
  else sessionStorage.removeItem(JOB_KEY);
}

function rememberedJob(yearId: number): string | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(JOB_KEY) ?? 'null') as { yearId: number; jobId: string } | null;
    return saved && saved.yearId === yearId ? saved.jobId : null;
  } catch {
    return null;
  }
}

function finishedText(job: SchoolJobStatus): string | null {
  const written = job.files.filter((file) => file.status === 'ok').length;
  const failed = job.files.filter((file) => file.status === 'failed').length;
  const files = `${written} ${plural(written, 'файл', 'файла', 'файлов')}`;
  const notPrinted = failed > 0 ? ` Не напечатано классов: ${failed} (причины — в таблице).` : '';
  if (job.state === 'done') return `Готово: записано ${files} в папку ${job.folder}.${notPrinted}`;
  if (job.state === 'cancelled') return `Остановлено: записано ${files} из ${job.total}; готовые файлы остались в папке ${job.folder}.`;
  return null;
}

export function WholeSchoolPrint({ year, classes, onPrinted }: { year: AcademicYear; classes: readonly SchoolClass[]; onPrinted(): void }) {
  const periodOptions = useMemo(() => periodNumberOptions(year), [year]);
  const settings = useApiQuery('print.settings', {});
  const [period, setPeriod] = useState(periodOptions[0]?.value ?? 'year');
  const [folder, setFolder] = useState('');
  const [duplex, setDuplex] = useState<boolean | null>(null);
  const [job, setJob] = useState<SchoolJobStatus | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [stopping, setStopping] = useState(false);
  const wasRunning = useRef(false);
  const duplexNow = duplex ?? settings.data?.duplex ?? false;
  const running = job?.state === 'running';

  // Back on the page: the job this tab started is shown again (it went on in the core).
  useEffect(() => {
    const jobId = rememberedJob(year.id);
    if (!jobId) return;
    api.call('print.schoolJob.status', { jobId }).then(setJob, () => rememberJob(year.id, null));
  }, [year.id]);

  // While the job runs: its status every half second.
  useEffect(() => {
    if (!job || job.state !== 'running') return undefined;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.call('print.schoolJob.status', { jobId: job.jobId }).then(
        (next) => {
          if (cancelled) return;
          setPollError(null);
          setJob(next);
        },
        (error: unknown) => {
          if (cancelled) return;
          const failure = asApiError(error);
          setPollError(failure.message);
          if (failure.kind === 'not_found') {
            rememberJob(year.id, null);
            setJob(null);
          } else setRetry((count) => count + 1);
        },
      );
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [job, retry, year.id]);

  // The print log below shows the new prints once the job is over.
  useEffect(() => {
    if (running) wasRunning.current = true;
    else if (wasRunning.current && job) {
      wasRunning.current = false;
      setStopping(false);
      onPrinted();
    }
  }, [running, job, onPrinted]);

  async function start() {
    setPollError(null);
    try {
      const started = await api.call('print.schoolJob.start', {
        yearId: year.id,
        period: period === 'year' ? 'year' : Number(period),
        folder: folder.trim(),
        duplex: duplexNow,
      });
      rememberJob(year.id, started.jobId);
      setJob(started);
    } catch (error) {
      const failure = asApiError(error);
      // Someone (perhaps this deputy in another window) is printing already: show that job.
      const runningId = (failure.details as { jobId?: unknown } | undefined)?.jobId;
      if (failure.kind === 'conflict' && typeof runningId === 'string') {
        api.call('print.schoolJob.status', { jobId: runningId }).then(setJob, () => {});
      }
      throw failure;
    }
  }

  async function stop() {
    if (!job) return;
    setStopping(true);
    try {
      setJob(await api.call('print.schoolJob.cancel', { jobId: job.jobId }));
    } catch (error) {
      setStopping(false);
      setPollError(asApiError(error).message);
    }
  }

  async function pickFolder() {
    try {
      const chosen = await chooseFolder('Папка для журналов всей школы');
      if (chosen) setFolder(chosen);
    } catch (error) {
      setPollError(asApiError(error).message);
    }
  }

  const finished = job && !running ? finishedText(job) : null;

  return (
    <section className="card" aria-label="Вся школа">
      <h2>Вся школа за период</h2>
      <p className="muted small">
        Журналы всех классов {year.name} учебного года записываются в папку, по PDF-файлу на класс; каждая печать записывается в журнал печати. Печать
        идёт в программе, класс за классом: на это время можно перейти на другую страницу.
      </p>
      {!running && (
        <Form
          aria-label="Печать всей школы"
          className="filters print-choice"
          submitLabel={`Напечатать все классы (${classes.length})`}
          busyLabel="Начинаю печать…"
          disabled={classes.length === 0}
          check={() => (folder.trim() === '' ? localValidation(folderChoice === 'native' ? 'Выберите папку для файлов.' : 'Укажите папку для файлов.', 'folder') : null)}
          onSubmit={start}
        >
          <SelectField name="period" label="Период" value={period} onChange={setPeriod} options={periodOptions} />
          {folderChoice === 'native' ? (
            <div className="folder-choice">
              <TextField name="folder" label="Папка для файлов" value={folder} onChange={setFolder} readOnly placeholder="не выбрана" size={36} />
              <button type="button" className="button" onClick={() => void pickFolder()}>
                Выбрать папку…
              </button>
            </div>
          ) : (
            <TextField
              name="folder"
              label="Папка для файлов"
              value={folder}
              onChange={setFolder}
              size={40}
              spellCheck={false}
              placeholder="/home/zavuch/Журналы"
              hint="Полный путь к существующей папке на компьютере, где работает журнал: в браузере нет окна выбора папки."
            />
          )}
          <CheckboxField name="duplex" label="С двух сторон листа" checked={duplexNow} onChange={setDuplex} />
        </Form>
      )}
      {running && job && (
        <div className="print-progress" role="status" aria-label="Ход печати">
          <progress max={Math.max(job.total, 1)} value={job.done} aria-label="Печать всей школы" />
          <span>{job.currentClass ? `${Math.min(job.done + 1, job.total)} из ${job.total}: ${job.currentClass}` : `${job.done} из ${job.total}`}</span>
          <button type="button" className="button" disabled={stopping || job.cancelRequested} onClick={() => void stop()}>
            {stopping || job.cancelRequested ? 'Останавливаю после текущего класса…' : 'Остановить'}
          </button>
        </div>
      )}
      <ErrorMessage error={pollError} />
      {job?.state === 'failed' && <ErrorMessage error={job.error ?? 'Печать остановлена.'} />}
      {finished && (
        <p className="message message-info" role="status">
          {finished}
        </p>
      )}
      {job && job.files.length > 0 && (
        <table className="table table-compact" aria-label="Файлы всей школы">
          <thead>
            <tr>
              <th>Класс</th>
              <th>Файл</th>
              <th>Листов</th>
              <th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {job.files.map((file) => (
              <tr key={file.className}>
                <td className="nowrap">{file.className}</td>
                <td>
                  {file.status === 'ok' && file.fileName}
                  {file.status === 'skipped' && <span className="badge badge-warn">пропущен</span>}
                  {file.status === 'failed' && <span className="badge badge-bad">не напечатан</span>}
                  {file.message && <span className="small"> {file.message}</span>}
                </td>
                <td className="nowrap">{file.sheets === null ? '—' : `${file.sheets} ${plural(file.sheets, 'лист', 'листа', 'листов')}`}</td>
                <td className="mono small" title={file.sha256 ?? undefined}>
                  {file.sha256 ? `${file.sha256.slice(0, 12)}…` : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
