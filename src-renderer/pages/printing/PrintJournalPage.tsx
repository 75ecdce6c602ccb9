import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { printingContract, printSettings, type PrintSettings } from '../../../src-shared/contract/printing';
import type { AcademicYear, SchoolClass } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { classOptions, ErrorMessage, Loading, Toolbar, useSchoolToday, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormCheckbox, FormSelect, FormText, optionValue, requiredChoice, useContractForm, wholeNumberText } from '../../ui/contract-form';
import { pdfBlob } from './pdf-file';
import { periodsOfClass, periodToPrint } from './periods';
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

const journalInput = printingContract['print.classJournal'].input;
/** The class journal's own input; the summary sheet takes only the class. */
const printFields = journalInput.pick({ duplex: true }).extend({
  classId: requiredChoice(journalInput.shape.classId, 'Выберите класс'),
  document: z.enum(['journal', 'summary']),
  period: optionValue(journalInput.shape.period),
  subjectId: journalInput.shape.subjectId.unwrap().nullable(),
});

function ClassJournalPrint({ year, classes, onPrinted }: { year: AcademicYear; classes: readonly SchoolClass[]; onPrinted(): void }) {
  const { user } = useSession();
  const settings = useApiQuery('print.settings', {});
  // A class teacher starts on their own class.
  const ownClass = classes.find((schoolClass) => user.classTeacherOf.some((own) => own.id === schoolClass.id));
  const form = useContractForm(printFields, { classId: ownClass?.id ?? null, document: 'journal', period: 'year', subjectId: null, duplex: false });
  const classId = form.watch('classId');
  const kind = form.watch('document');
  const schoolClass = classes.find((candidate) => candidate.id === classId);
  const periods = useMemo(() => (schoolClass ? periodsOfClass(year, schoolClass) : []), [year, schoolClass]);
  const [result, setResult] = useState<{ printed: PrintedPdf; blob: Blob; duplex: boolean } | null>(null);
  const loads = useApiQuery('load.list', schoolClass ? { yearId: year.id, classId: schoolClass.id } : null);

  const subjectOptions = useMemo(() => {
    const seen = new Map<number, string>();
    for (const load of loads.data ?? []) if (!seen.has(load.subjectId)) seen.set(load.subjectId, load.subjectName);
    return [{ value: '', label: 'Все предметы' }, ...[...seen.entries()].sort(([, a], [, b]) => a.localeCompare(b, 'ru')).map(([id, name]) => ({ value: String(id), label: name }))];
  }, [loads.data]);

  // A new class: its own periods (the newest begun by default) and every subject again.
  const today = useSchoolToday();
  useEffect(() => {
    const period = periodToPrint(periods, today);
    form.setValue('period', period ? String(period.id) : 'year');
    form.setValue('subjectId', null);
    setResult(null);
  }, [periods, today, form]);

  // Two-sided as the school prints, until the person says otherwise.
  const schoolDuplex = settings.data?.duplex;
  useEffect(() => {
    if (schoolDuplex !== undefined && !form.getFieldState('duplex').isDirty) form.resetField('duplex', { defaultValue: schoolDuplex });
  }, [schoolDuplex, form]);

  async function print(values: z.output<typeof printFields>) {
    setResult(null);
    const journal = values.document === 'journal';
    const printed = journal
      ? await api.call('print.classJournal', {
          classId: values.classId,
          period: values.period,
          duplex: values.duplex,
          ...(values.subjectId !== null ? { subjectId: values.subjectId } : {}),
        })
      : await api.call('print.summary', { scope: 'class', classId: values.classId });
    setResult({ printed, blob: pdfBlob(printed.pdfBase64), duplex: journal && (values.duplex ?? false) });
    onPrinted();
  }

  return (
    <section className="card" aria-label="Журнал класса">
      <h2>Журнал класса</h2>
      <ContractForm form={form} aria-label="Что напечатать" className="filters print-choice" submitLabel="Сформировать PDF" busyLabel="Формирую PDF…" onSubmit={print}>
        <FormSelect name="classId" label="Класс" numeric options={[{ value: '', label: '— выберите класс —' }, ...classOptions(classes)]} />
        <FormSelect
          name="document"
          label="Документ"
          options={[
            { value: 'journal', label: 'Классный журнал' },
            { value: 'summary', label: 'Сводная ведомость за год' },
          ]}
        />
        {kind === 'journal' && (
          <>
            <FormSelect
              name="period"
              label="Период"
              disabled={!schoolClass}
              options={[...periods.map((item) => ({ value: String(item.id), label: item.name })), { value: 'year', label: 'Весь учебный год' }]}
            />
            <FormSelect name="subjectId" label="Предмет" numeric disabled={!schoolClass} options={subjectOptions} />
            <FormCheckbox name="duplex" label="С двух сторон листа" />
          </>
        )}
      </ContractForm>
      {!schoolClass && classes.length === 0 && <p className="muted">В этом году классов ещё нет.</p>}
      {result && <PrintedDocument key={result.printed.logId} printed={result.printed} blob={result.blob} duplex={result.duplex} />}
    </section>
  );
}

const settingsFields = printSettings.extend({
  bindingMarginMm: wholeNumberText(printSettings.shape.bindingMarginMm, 'Поле для подшивки — целым числом миллиметров, например 20'),
});

/** The school's defaults: the binding margin and one- or two-sided printing (administrator). */
function PrintSettingsCard() {
  const settings = useApiQuery('print.settings', {});
  if (!settings.data) return <ErrorMessage error={settings.error} />;
  return <PrintSettingsForm settings={settings.data} onSaved={settings.reload} />;
}

function PrintSettingsForm({ settings, onSaved }: { settings: PrintSettings; onSaved(): Promise<unknown> }) {
  const form = useContractForm(settingsFields, { ...settings, bindingMarginMm: String(settings.bindingMarginMm) });
  const [saved, setSaved] = useState(false);

  return (
    <section className="card" aria-label="Настройки печати">
      <h2>Настройки печати</h2>
      <ContractForm
        form={form}
        aria-label="Настройки печати"
        className="filters"
        submitLabel="Сохранить настройки"
        onSubmit={async (values) => {
          setSaved(false);
          await api.call('print.saveSettings', values);
          await onSaved();
          setSaved(true);
        }}
      >
        <FormText name="bindingMarginMm" label="Поле для подшивки, мм" inputMode="numeric" size={4} />
        <FormCheckbox name="duplex" label="Печатать с двух сторон листа (число листов — вдвое меньше страниц)" />
        <FormText name="journalCaseIndex" label="Индекс дела классных журналов (номенклатура дел)" size={10} />
        <FormText name="summaryCaseIndex" label="Индекс дела сводных ведомостей" size={10} />
      </ContractForm>
      {saved && (
        <p className="message message-success" role="status">
          Настройки печати сохранены.
        </p>
      )}
    </section>
  );
}
