import { useMemo, useState } from 'react';
import { listKinds, listKindTitles, type ImportPreview, type ListKind } from '../../../src-shared/contract/school-files';
import { api, asApiError, type ApiError } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, plural, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useAction } from '../../api/use-api';
import { FileChoice } from '../../ui/file-choice';
import { JobProgress, useJob } from '../../ui/job-progress';
import { readChosenFile, saveBase64File, type ChosenFile } from '../../lib/files';

// «Импорт и экспорт»: a CSV or XLSX list is checked first — every row with its
// Russian errors and its spreadsheet row number — and written only when the whole file is valid.

type Applied = { created: number; updated: number; temporaryPasswords: { login: string; fullName: string; password: string }[] };

const kindHints: Record<ListKind, string> = {
  students: 'Столбцы: Фамилия, Имя, Отчество (или одним столбцом ФИО), Дата рождения, Пол, Класс, Дата зачисления, Приказ о зачислении.',
  staff: 'Столбцы: ФИО, Логин, Должность, Роли, Временный пароль (если пусто — журнал придумает сам).',
  classes: 'Столбцы: Класс («5А»), Классный руководитель (ФИО или логин), Кабинет.',
  load: 'Столбцы: Класс, Предмет, Подгруппа, Учитель, Часов в неделю.',
};

export function ImportExportPage() {
  const can = useCan();
  const choice = useYearChoice();
  return (
    <div className="school-page">
      <Toolbar>
        <YearSelect choice={choice} />
      </Toolbar>
      {can('school.people') && <ImportSection yearId={choice.year?.id} />}
      <ExportSection yearId={choice.year?.id} />
    </div>
  );
}

function ImportSection({ yearId }: { yearId: number | undefined }) {
  const [kind, setKind] = useState<ListKind>('students');
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<ApiError | string | null>(null);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [applied, setApplied] = useState<Applied | null>(null);
  const apply = useAction();
  // A new file input after each import, so the same file can be chosen again.
  const [inputKey, setInputKey] = useState(0);
  // The import runs as a job in the core: read, check, write, with «Остановить» (nothing is
  // written then). Once done, its counts and any temporary passwords are asked for once.
  const tracker = useJob('import', (job) => {
    if (job.state !== 'done') return;
    setInputKey((key) => key + 1);
    api.call('import.result', { jobId: job.jobId }).then(setApplied, (error: unknown) => setProblem(asApiError(error)));
  });

  async function check(nextKind: ListKind, chosen: ChosenFile | null) {
    setPreview(null);
    setApplied(null);
    setProblem(null);
    tracker.clear();
    apply.clearError();
    if (!chosen) return;
    setChecking(true);
    try {
      setPreview(await api.call('import.preview', { kind: nextKind, fileName: chosen.name, content: chosen.content, yearId }));
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setChecking(false);
    }
  }

  async function choose(chosenFile: File | undefined) {
    if (!chosenFile) return;
    const read = await readChosenFile(chosenFile, 'разделите его на части');
    if ('problem' in read) {
      setFile(null);
      setPreview(null);
      setProblem(read.problem);
      return;
    }
    setFile(read.chosen);
    await check(kind, read.chosen);
  }

  const valid = preview !== null && preview.errorRows === 0 && preview.fileErrors.length === 0 && preview.rows.length > 0;
  const shownRows = useMemo(() => (preview ? (onlyErrors ? preview.rows.filter((row) => row.errors.length > 0) : preview.rows) : []), [preview, onlyErrors]);

  return (
    <section className="card" aria-label="Импорт">
      <h2>Импорт из CSV или XLSX</h2>
      <div className="import-choice">
        <fieldset className="kind-choice">
          <legend>Что загружаем</legend>
          {listKinds.map((value) => (
            <label key={value} className="checkbox">
              <input
                type="radio"
                name="import-kind"
                value={value}
                checked={kind === value}
                onChange={() => {
                  setKind(value);
                  void check(value, file);
                }}
              />{' '}
              {listKindTitles[value]}
            </label>
          ))}
        </fieldset>
        <div className="import-file">
          <FileChoice key={inputKey} label="Файл" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" fileName={file?.name ?? null} onFile={(chosen) => void choose(chosen)}>
            <p className="muted small">{kindHints[kind]} Заголовки — в первой строке. CSV — в UTF-8 или Windows-1251, через «;» или «,».</p>
          </FileChoice>
        </div>
      </div>
      {checking && <p className="muted">Проверяю файл…</p>}
      <ErrorMessage error={problem} />
      <JobProgress tracker={tracker} currentUnit="шага" label="Ход импорта" />
      {applied && applied.temporaryPasswords.length > 0 && (
        <div className="message message-success">
          <TemporaryPasswords list={applied.temporaryPasswords} />
        </div>
      )}
      {preview && !applied && !tracker.active && (
        <>
          <div className={valid ? 'message message-success' : 'message message-error'} role="status" aria-label="Итог проверки">
            {preview.fileErrors.map((error) => (
              <div key={error}>{error}</div>
            ))}
            {preview.rows.length > 0 && (
              <div>
                «{file?.name}»: {preview.rows.length} {plural(preview.rows.length, 'строка', 'строки', 'строк')} ({preview.format.toUpperCase()}
                {preview.encoding ? `, ${preview.encoding}` : ''}
                {preview.delimiter ? `, разделитель «${preview.delimiter}»` : ''}).{' '}
                {preview.errorRows === 0
                  ? 'Ошибок нет — можно загружать.'
                  : `С ошибками: ${preview.errorRows} ${plural(preview.errorRows, 'строка', 'строки', 'строк')}. Исправьте файл и выберите его снова — пока ничего не загружено.`}
              </div>
            )}
          </div>
          <ErrorMessage error={apply.error} />
          <div className="form-actions import-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={!valid || apply.busy || tracker.active || !file}
              onClick={() =>
                void apply.run(async () => {
                  tracker.track(await api.call('import.apply', { kind, fileName: file!.name, content: file!.content, yearId }));
                })
              }
            >
              {apply.busy ? 'Загружаю…' : 'Загрузить'}
            </button>
            {preview.errorRows > 0 && (
              <label className="checkbox">
                <input type="checkbox" checked={onlyErrors} onChange={(event) => setOnlyErrors(event.target.checked)} /> только строки с ошибками
              </label>
            )}
          </div>
          {preview.rows.length > 0 && (
            <div className="table-scroll import-preview">
              <table className="table table-compact" aria-label="Строки файла">
                <thead>
                  <tr>
                    <th className="cell-number">Строка</th>
                    {preview.columns.map((column) => (
                      <th key={column}>{column}</th>
                    ))}
                    <th>Ошибки</th>
                  </tr>
                </thead>
                <tbody>
                  {shownRows.map((row) => (
                    <tr key={row.row} className={row.errors.length > 0 ? 'row-invalid' : undefined}>
                      <td className="cell-number">{row.row}</td>
                      {preview.columns.map((column) => (
                        <td key={column}>{row.values[column] ?? ''}</td>
                      ))}
                      <td className="import-errors">
                        {row.errors.map((error) => (
                          <div key={error}>{error}</div>
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

function TemporaryPasswords({ list }: { list: Applied['temporaryPasswords'] }) {
  return (
    <>
      <p>Временные пароли новых сотрудников — передайте каждому лично; при первом входе журнал попросит сменить пароль:</p>
      <table className="table table-compact">
        <thead>
          <tr>
            <th>ФИО</th>
            <th>Логин</th>
            <th>Временный пароль</th>
          </tr>
        </thead>
        <tbody>
          {list.map((person) => (
            <tr key={person.login}>
              <td>{person.fullName}</td>
              <td className="mono">{person.login}</td>
              <td>
                <span className="secret">{person.password}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ExportSection({ yearId }: { yearId: number | undefined }) {
  const [kind, setKind] = useState<ListKind>('students');
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [done, setDone] = useState<string | null>(null);
  const exporting = useAction();
  return (
    <section className="card" aria-label="Экспорт">
      <h2>Экспорт списков</h2>
      <div className="export-row">
        <label className="inline-choice">
          Список{' '}
          <select value={kind} onChange={(event) => setKind(event.target.value as ListKind)} aria-label="Список для выгрузки">
            {listKinds.map((value) => (
              <option key={value} value={value}>
                {listKindTitles[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-choice">
          Формат{' '}
          <select value={format} onChange={(event) => setFormat(event.target.value as 'xlsx' | 'csv')} aria-label="Формат">
            <option value="xlsx">XLSX (Excel)</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <button
          type="button"
          className="button button-primary"
          disabled={exporting.busy}
          onClick={() =>
            void exporting.run(async () => {
              setDone(null);
              const file = await api.call('export.list', { kind, format, yearId });
              saveBase64File(file);
              setDone(`Выгружено: «${file.fileName}», ${file.rows} ${plural(file.rows, 'строка', 'строки', 'строк')}.`);
            })
          }
        >
          {exporting.busy ? 'Готовлю файл…' : 'Выгрузить'}
        </button>
      </div>
      <p className="muted small">Те же столбцы, что при импорте: выгруженный файл можно исправить и загрузить обратно.</p>
      <ErrorMessage error={exporting.error} />
      {done && (
        <p className="message message-success" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
