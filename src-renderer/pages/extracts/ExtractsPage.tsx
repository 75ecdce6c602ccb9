import { useEffect, useMemo, useState } from 'react';
import { councilDecisions, councilDecisionTitles, type CouncilDecisionKind } from '../../../src-shared/contract/extracts';
import type { MethodOutput } from '../../../src-shared/contract/index';
import type { SchoolClass } from '../../../src-shared/contract/school';
import { addDays } from '../../../src-shared/rules/dates';
import { api, asApiError, type ApiError } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { ErrorMessage, hashQuery, Loading, russianDate, Toolbar, useSchoolToday, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { pdfBlob } from '../printing/pdf-file';
import { PdfResult } from '../printing/PrintedDocument';
import { periodsOfClass } from '../printing/periods';
import { chooseFolder, folderChoice } from '../printing/shell-printing';
import { JobItems, JobProgress, useJob } from '../../ui/job-progress';
import { DateFilter } from '../../ui/date-input';

// «Отчёты для родителей» (D-9, D-31): the class teacher prints the report / extract for
// every student of her class, ticks the strips that come back and sees who has not
// returned one; after the finals, the results letters. The deputy sees the share of
// returned strips per class and enters the pedagogical council's decisions.

export type PrintedPaper = MethodOutput<'extracts.print'>;

/** The printed PDF: what it is, «Сохранить PDF» and the way to print it here (compact: without the preview). */
export function PaperResult({ printed, compact = false }: { printed: PrintedPaper; compact?: boolean }) {
  const blob = useMemo(() => pdfBlob(printed.pdfBase64), [printed.pdfBase64]);
  return (
    <PdfResult title={printed.title} fileName={printed.fileName} blob={blob} compact={compact}>
      <p role="status" data-testid="paper-facts">
        Учеников: {printed.students}; страниц: {printed.pages}; листов: {printed.sheets}. Печать записана в журнал печати (№ {printed.logId}).
      </p>
    </PdfResult>
  );
}

const ADMINISTRATION = ['director', 'deputy', 'administrator'];

export function ExtractsPage() {
  const { user } = useSession();
  const can = useCan();
  const choice = useYearChoice();
  const all = useApiQuery('school.classes.list', choice.year ? { yearId: choice.year.id } : null);
  const administration = user.roles.some((role) => ADMINISTRATION.includes(role));
  const classes = useMemo(
    () => (all.data ?? []).filter((c) => administration || user.classTeacherOf.some((own) => own.id === c.id)),
    [all.data, administration, user.classTeacherOf],
  );
  const wanted = hashQuery('class');
  const [classId, setClassId] = useState<string>(wanted ?? '');
  const chosen = classes.find((c) => String(c.id) === classId) ?? (classes.length === 1 || (!administration && classes.length > 0) ? classes[0] : undefined);

  return (
    <div className="extracts-page">
      <Toolbar>
        <YearSelect choice={choice} />
        <label>
          Класс{' '}
          <select aria-label="Класс" value={chosen ? String(chosen.id) : ''} onChange={(event) => setClassId(event.target.value)}>
            <option value="">—</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </Toolbar>
      <ErrorMessage error={choice.error ?? all.error} />
      {choice.year && all.data === null && !all.error && <Loading />}
      {all.data && classes.length === 0 && <p className="muted">Вы не классный руководитель ни одного класса этого года.</p>}
      {chosen && choice.year && <ClassPaper key={chosen.id} schoolClass={chosen} yearPeriods={periodsOfClass(choice.year, chosen)} />}
      {can('extracts.overview') && choice.year && <Overview yearId={choice.year.id} />}
      {can('extracts.overview') && choice.year && <WholeSchoolExtracts yearId={choice.year.id} />}
    </div>
  );
}

function ClassPaper({ schoolClass, yearPeriods }: { schoolClass: SchoolClass; yearPeriods: ReturnType<typeof periodsOfClass> }) {
  const can = useCan();
  const today = useSchoolToday();
  const [from, setFrom] = useState(addDays(today, -13));
  const [to, setTo] = useState(today);
  const [duplex, setDuplex] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [printed, setPrinted] = useState<PrintedPaper | null>(null);
  const [version, setVersion] = useState(0);
  const [period, setPeriod] = useState('year');

  async function run(work: () => Promise<PrintedPaper>) {
    setBusy(true);
    setError(null);
    setPrinted(null);
    try {
      setPrinted(await work());
      setVersion((v) => v + 1);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section aria-label="Отчёт для родителей">
        <h2>Отчёт об успеваемости и посещаемости: {schoolClass.name} класс</h2>
        <p className="muted">Каждый ученик — с нового листа, с отрывным талоном «С отчётом ознакомлен(а)». Не реже одного раза в две недели.</p>
        <form
          aria-label="Период отчёта"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => api.call('extracts.print', { classId: schoolClass.id, from, to, duplex }));
          }}
        >
          <label>
            С <DateFilter aria-label="С" value={from} onDate={setFrom} />
          </label>{' '}
          <label>
            по <DateFilter aria-label="По" value={to} onDate={setTo} />
          </label>{' '}
          <label>
            <input type="checkbox" checked={duplex} onChange={(e) => setDuplex(e.target.checked)} /> печать с двух сторон
          </label>{' '}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Формируется…' : 'Сформировать PDF'}
          </button>
        </form>
        <form
          aria-label="Итоги"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => api.call('extracts.resultsLetters', { classId: schoolClass.id, period: period === 'year' ? 'year' : Number(period) }));
          }}
        >
          <label>
            Письмо об итогах:{' '}
            <select aria-label="Итоги за" value={period} onChange={(e) => setPeriod(e.target.value)}>
              {yearPeriods.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
              <option value="year">учебный год</option>
            </select>
          </label>{' '}
          <button type="submit" className="button" disabled={busy}>
            Сформировать письма
          </button>
        </form>
        <ErrorMessage error={error} />
        {printed && <PaperResult printed={printed} />}
      </section>
      <Register classId={schoolClass.id} version={version} />
      {can('extracts.council') && <Council schoolClass={schoolClass} />}
    </>
  );
}

function Register({ classId, version }: { classId: number; version: number }) {
  const today = useSchoolToday();
  const register = useApiQuery('extracts.register', { classId, limit: 10 });
  const [on, setOn] = useState(today);
  const [error, setError] = useState<ApiError | null>(null);
  const { reload } = register;
  // A new print adds an extract to the register.
  useEffect(() => {
    if (version > 0) void reload();
  }, [version, reload]);

  async function tick(extractPrintId: number, checked: boolean) {
    setError(null);
    try {
      await api.call('extracts.acknowledge', { extractPrintId, acknowledgedOn: checked ? on : null });
      await register.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  if (register.error) return <ErrorMessage error={register.error} />;
  if (!register.data) return <Loading />;
  const data = register.data;
  const extract = data.extracts[0];
  return (
    <section aria-label="Возврат талонов">
      <h2>Возврат отрывных талонов</h2>
      <ErrorMessage error={error} />
      {data.unacknowledged.length > 0 ? (
        <div>
          <h3>Не вернули талон ({data.unacknowledged.length})</h3>
          <ul aria-label="Не вернули талон">
            {data.unacknowledged.map((u) => (
              <li key={u.extractPrintId}>
                {u.label} — отчёт с {russianDate(u.from)} по {russianDate(u.to)}
                {u.noParent && <span className="muted"> (родитель не указан — передать лично)</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        data.extracts.length > 0 && <p>Все талоны последних отчётов возвращены.</p>
      )}
      {!extract ? (
        <p className="muted">Отчётов для родителей этого класса ещё не печатали.</p>
      ) : (
        <>
          <label>
            Дата на талоне <DateFilter aria-label="Дата на талоне" value={on} onDate={setOn} />
          </label>
          {data.extracts.map((e) => (
            <table key={e.logId} aria-label={`Отчёт с ${russianDate(e.from)} по ${russianDate(e.to)}, напечатан ${russianDate(e.printedAt.slice(0, 10))}`}>
              <caption>
                Отчёт с {russianDate(e.from)} по {russianDate(e.to)}
                {e.printedBy ? ` · напечатал(а) ${e.printedBy}` : ' · напечатан из командной строки'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Ученик</th>
                  <th scope="col">Талон возвращён</th>
                </tr>
              </thead>
              <tbody>
                {e.students.map((s) => (
                  <tr key={s.extractPrintId}>
                    <th scope="row">{s.label}</th>
                    <td>
                      <label>
                        <input type="checkbox" aria-label={`Талон: ${s.label}`} checked={s.acknowledgedOn !== null} onChange={(event) => void tick(s.extractPrintId, event.target.checked)} />{' '}
                        {s.acknowledgedOn ? russianDate(s.acknowledgedOn) : ''}
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </>
      )}
    </section>
  );
}

function Council({ schoolClass }: { schoolClass: SchoolClass }) {
  const list = useApiQuery('extracts.council.list', { classId: schoolClass.id });
  const today = useSchoolToday();
  const [date, setDate] = useState(today);
  const [number, setNumber] = useState('');
  const [choices, setChoices] = useState<Record<number, CouncilDecisionKind | ''>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (list.error) return <ErrorMessage error={list.error} />;
  if (!list.data) return <Loading />;
  const rows = list.data;
  return (
    <section aria-label="Решения педагогического совета">
      <h2>Решения педагогического совета: {schoolClass.name} класс</h2>
      <form
        aria-label="Решения педагогического совета"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          setSaved(null);
          const decisions = rows.map((r) => ({ studentId: r.studentId, decision: (choices[r.studentId] ?? r.decision ?? '') || null }));
          api
            .call('extracts.council.save', { classId: schoolClass.id, protocolDate: date, protocolNumber: number, decisions })
            .then((result) => {
              setSaved(`Сохранено решений: ${result.saved}, снято: ${result.removed}.`);
              return list.reload();
            })
            .catch((e: unknown) => setError(asApiError(e)));
        }}
      >
        <label>
          Дата протокола <DateFilter aria-label="Дата протокола" value={date} onDate={setDate} />
        </label>{' '}
        <label>
          Номер протокола <input aria-label="Номер протокола" value={number} maxLength={30} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.studentId}>
                <th scope="row">{r.label}</th>
                <td>
                  <select aria-label={`Решение: ${r.label}`} value={choices[r.studentId] ?? r.decision ?? ''} onChange={(e) => setChoices({ ...choices, [r.studentId]: e.target.value as CouncilDecisionKind | '' })}>
                    <option value="">— не внесено —</option>
                    {councilDecisions.map((d) => (
                      <option key={d} value={d}>
                        {councilDecisionTitles[d]}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted">{r.protocolDate ? `протокол № ${r.protocolNumber} от ${russianDate(r.protocolDate)}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit" className="button button-primary">
          Сохранить решения
        </button>
        <ErrorMessage error={error} />
        {saved && <p role="status">{saved}</p>}
      </form>
    </section>
  );
}

function Overview({ yearId }: { yearId: number }) {
  const overview = useApiQuery('extracts.overview', { yearId });
  if (overview.error) return <ErrorMessage error={overview.error} />;
  if (!overview.data) return <Loading />;
  return (
    <section aria-label="Возврат талонов по классам">
      <h2>Возврат отрывных талонов по классам</h2>
      <table aria-label="Возврат талонов по классам">
        <thead>
          <tr>
            <th scope="col">Класс</th>
            <th scope="col">Напечатано</th>
            <th scope="col">Возвращено</th>
            <th scope="col">Доля</th>
            <th scope="col">Последний отчёт</th>
          </tr>
        </thead>
        <tbody>
          {overview.data.map((row) => (
            <tr key={row.classId}>
              <th scope="row">{row.className}</th>
              <td className="number">{row.printed}</td>
              <td className="number">{row.acknowledged}</td>
              <td className="number">{row.share === null ? '—' : `${Math.round(row.share * 100)} %`}</td>
              <td>{row.lastPrintedOn ? russianDate(row.lastPrintedOn) : 'не печатался'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The whole school's extracts: one PDF per class into a folder, as a job with progress and «Остановить». */
function WholeSchoolExtracts({ yearId }: { yearId: number }) {
  const today = useSchoolToday();
  const [from, setFrom] = useState(addDays(today, -13));
  const [to, setTo] = useState(today);
  const [folder, setFolder] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const tracker = useJob('extracts.school');

  async function start() {
    setError(null);
    try {
      tracker.track(await api.call('extracts.schoolJob.start', { yearId, from, to, folder: folder.trim() }));
    } catch (e) {
      const failure = asApiError(e);
      const runningId = (failure.details as { jobId?: unknown } | undefined)?.jobId;
      if (failure.kind === 'conflict' && typeof runningId === 'string') tracker.follow(runningId);
      setError(failure);
    }
  }

  async function pickFolder() {
    const chosen = await chooseFolder('Папка для отчётов всей школы').catch(() => null);
    if (chosen) setFolder(chosen);
  }

  return (
    <section aria-label="Отчёты всей школы">
      <h2>Отчёты для родителей всей школы</h2>
      <p className="muted small">По PDF-файлу на класс в папку на компьютере, где работает журнал; каждый ученик — с нового листа.</p>
      {!tracker.active && (
        <form
          aria-label="Отчёты всей школы"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <label>
            С <DateFilter aria-label="С" value={from} onDate={setFrom} />
          </label>{' '}
          <label>
            по <DateFilter aria-label="По" value={to} onDate={setTo} />
          </label>{' '}
          <label>
            Папка для файлов <input aria-label="Папка для файлов" value={folder} size={36} spellCheck={false} readOnly={folderChoice === 'native'} onChange={(e) => setFolder(e.target.value)} />
          </label>{' '}
          {folderChoice === 'native' && (
            <button type="button" className="button" onClick={() => void pickFolder()}>
              Выбрать папку…
            </button>
          )}{' '}
          <button type="submit" className="button">
            Напечатать все классы
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
      <JobProgress tracker={tracker} currentUnit="класса" label="Ход печати" />
      <JobItems job={tracker.job} labelHeading="Класс" label="Файлы всей школы" />
    </section>
  );
}
