import { useEffect, useMemo, useState } from 'react';
import type { AcademicYear, SchoolClass } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { classOptions, ErrorMessage, Loading, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { CheckboxField, Form, SelectField, TextField } from '../../ui/form';
import { pdfBlob } from './pdf-file';
import { periodsOfClass } from './periods';
import { PrintedDocument, type PrintedPdf } from './PrintedDocument';
import { PrintLog } from './PrintLog';
import { WholeSchoolPrint } from './WholeSchoolPrint';
import './printing.css';

// «Печать журнала» (D-34 … D-36, D-39): a class journal for a period or its
// yearly summary sheet, previewed, saved as PDF, printed; the whole school class by class;
// the print log with SHA-256. Who may print what is the core's decision: its refusal is
// shown as it is worded.

/** Roles that print any class (the core's rule; here only to offer the whole school). */
const ADMINISTRATION = ['director', 'deputy', 'administrator'] as const;

export function PrintJournalPage() {
  const { user } = useSession();
  const can = useCan();
  const choice = useYearChoice();
  const classes = useApiQuery('school.classes.list', choice.year ? { yearId: choice.year.id } : null);
  const [logVersion, setLogVersion] = useState(0);
  const printsAll = user.roles.some((role) => (ADMINISTRATION as readonly string[]).includes(role));
  const afterPrint = () => setLogVersion((version) => version + 1);

  return (
    <div className="print-page">
      <Toolbar>
        <YearSelect choice={choice} />
      </Toolbar>
      <ErrorMessage error={choice.error ?? classes.error} />
      {choice.year && classes.data === null && !classes.error && <Loading />}
      {choice.year && classes.data && (
        <>
          <ClassJournalPrint key={choice.year.id} year={choice.year} classes={classes.data} onPrinted={afterPrint} />
          {printsAll && <WholeSchoolPrint key={`all-${choice.year.id}`} year={choice.year} classes={classes.data} onPrinted={afterPrint} />}
        </>
      )}
      <PrintLog version={logVersion} />
      {can('school.manage') && <PrintSettingsCard />}
    </div>
  );
}

type DocumentKind = 'journal' | 'summary';

function ClassJournalPrint({ year, classes, onPrinted }: { year: AcademicYear; classes: readonly SchoolClass[]; onPrinted(): void }) {
  const { user } = useSession();
  const settings = useApiQuery('print.settings', {});
  // A class teacher starts on their own class.
  const ownClass = classes.find((schoolClass) => user.classTeacherOf.some((own) => own.id === schoolClass.id));
  const [classId, setClassId] = useState(String(ownClass?.id ?? ''));
  const schoolClass = classes.find((candidate) => String(candidate.id) === classId);
  const periods = useMemo(() => (schoolClass ? periodsOfClass(year, schoolClass) : []), [year, schoolClass]);
  const [period, setPeriod] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [kind, setKind] = useState<DocumentKind>('journal');
  const [duplex, setDuplex] = useState<boolean | null>(null);
  const [result, setResult] = useState<{ printed: PrintedPdf; blob: Blob; duplex: boolean } | null>(null);
  const loads = useApiQuery('load.list', schoolClass ? { yearId: year.id, classId: schoolClass.id } : null);

  const subjectOptions = useMemo(() => {
    const seen = new Map<number, string>();
    for (const load of loads.data ?? []) if (!seen.has(load.subjectId)) seen.set(load.subjectId, load.subjectName);
    return [{ value: '', label: 'Все предметы' }, ...[...seen.entries()].sort(([, a], [, b]) => a.localeCompare(b, 'ru')).map(([id, name]) => ({ value: String(id), label: name }))];
  }, [loads.data]);

  // A new class: its own periods (the first one by default) and every subject again.
  useEffect(() => {
    setPeriod(periods[0] ? String(periods[0].id) : 'year');
    setSubjectId('');
  }, [periods]);

  const duplexNow = duplex ?? settings.data?.duplex ?? false;

  async function print() {
    if (!schoolClass) return;
    setResult(null);
    const printed =
      kind === 'journal'
        ? await api.call('print.classJournal', {
            classId: schoolClass.id,
            period: period === 'year' ? 'year' : Number(period),
            duplex: duplexNow,
            ...(subjectId ? { subjectId: Number(subjectId) } : {}),
          })
        : await api.call('print.summary', { scope: 'class', classId: schoolClass.id });
    setResult({ printed, blob: pdfBlob(printed.pdfBase64), duplex: kind === 'journal' ? duplexNow : false });
    onPrinted();
  }

  return (
    <section className="card" aria-label="Журнал класса">
      <h2>Журнал класса</h2>
      <Form
        aria-label="Что напечатать"
        className="filters print-choice"
        submitLabel="Сформировать PDF"
        busyLabel="Формирую PDF…"
        disabled={!schoolClass}
        onSubmit={print}
      >
        <SelectField
          name="classId"
          label="Класс"
          value={classId}
          onChange={(value) => {
            setClassId(value);
            setResult(null);
          }}
          options={[{ value: '', label: '— выберите класс —' }, ...classOptions(classes)]}
        />
        <SelectField
          name="document"
          label="Документ"
          value={kind}
          onChange={(value) => setKind(value as DocumentKind)}
          options={[
            { value: 'journal', label: 'Классный журнал' },
            { value: 'summary', label: 'Сводная ведомость за год' },
          ]}
        />
        {kind === 'journal' && (
          <>
            <SelectField
              name="period"
              label="Период"
              value={period}
              onChange={setPeriod}
              disabled={!schoolClass}
              options={[...periods.map((item) => ({ value: String(item.id), label: item.name })), { value: 'year', label: 'Весь учебный год' }]}
            />
            <SelectField name="subjectId" label="Предмет" value={subjectId} onChange={setSubjectId} disabled={!schoolClass} options={subjectOptions} />
            <CheckboxField name="duplex" label="С двух сторон листа" checked={duplexNow} onChange={setDuplex} />
          </>
        )}
      </Form>
      {!schoolClass && classes.length === 0 && <p className="muted">В этом году классов ещё нет.</p>}
      {result && <PrintedDocument key={result.printed.logId} printed={result.printed} blob={result.blob} duplex={result.duplex} />}
    </section>
  );
}

/** The school's defaults: the binding margin and one- or two-sided printing (administrator). */
function PrintSettingsCard() {
  const settings = useApiQuery('print.settings', {});
  const [margin, setMargin] = useState<string | null>(null);
  const [duplex, setDuplex] = useState<boolean | null>(null);
  const [journalCase, setJournalCase] = useState<string | null>(null);
  const [summaryCase, setSummaryCase] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (!settings.data) return <ErrorMessage error={settings.error} />;
  const marginNow = margin ?? String(settings.data.bindingMarginMm);
  const duplexNow = duplex ?? settings.data.duplex;
  const journalCaseNow = journalCase ?? settings.data.journalCaseIndex;
  const summaryCaseNow = summaryCase ?? settings.data.summaryCaseIndex;

  return (
    <section className="card" aria-label="Настройки печати">
      <h2>Настройки печати</h2>
      <Form
        aria-label="Настройки печати"
        className="filters"
        submitLabel="Сохранить настройки"
        onSubmit={async () => {
          setSaved(false);
          await api.call('print.saveSettings', { bindingMarginMm: Number(marginNow), duplex: duplexNow, journalCaseIndex: journalCaseNow, summaryCaseIndex: summaryCaseNow });
          await settings.reload();
          setSaved(true);
        }}
      >
        <TextField name="bindingMarginMm" label="Поле для подшивки, мм" value={marginNow} onChange={setMargin} inputMode="numeric" size={4} />
        <CheckboxField name="duplex" label="Печатать с двух сторон листа (число листов — вдвое меньше страниц)" checked={duplexNow} onChange={setDuplex} />
        <TextField name="journalCaseIndex" label="Индекс дела классных журналов (номенклатура дел)" value={journalCaseNow} onChange={setJournalCase} size={10} />
        <TextField name="summaryCaseIndex" label="Индекс дела сводных ведомостей" value={summaryCaseNow} onChange={setSummaryCase} size={10} />
      </Form>
      {saved && (
        <p className="message message-success" role="status">
          Настройки печати сохранены.
        </p>
      )}
    </section>
  );
}
