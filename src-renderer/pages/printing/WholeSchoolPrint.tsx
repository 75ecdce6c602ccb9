import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { printingContract } from '../../../src-shared/contract/printing';
import type { AcademicYear, SchoolClass } from '../../../src-shared/contract/school';
import { api, asApiError } from '../../api/client';
import { ErrorMessage, useSchoolToday } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormCheckbox, FormSelect, FormText, optionValue, useContractForm } from '../../ui/contract-form';
import { JobItems, JobProgress, useJob } from '../../ui/job-progress';
import { periodNumberOptions, periodToPrint } from './periods';
import { chooseFolder, folderChoice } from './shell-printing';

// The whole school for a period: a job in the core writes one PDF per class into a folder,
// one class at a time, and records each in the print log; this card starts it and follows it
// through the core's one jobs mechanism (progress, «Остановить» after the current class).
// Nothing is held in the window, so the page may be left and come back.

/** The job kind the core gives the whole school's print (src-main/printing/school-job.ts). */
const SCHOOL_PRINT_KIND = 'print.school';

const startInput = printingContract['print.schoolJob.start'].input;
const schoolPrintFields = startInput.pick({ folder: true }).extend({ period: optionValue(startInput.shape.period), duplex: z.boolean() });

export function WholeSchoolPrint({ year, classes, onPrinted }: { year: AcademicYear; classes: readonly SchoolClass[]; onPrinted(): void }) {
  const periodOptions = useMemo(() => periodNumberOptions(year), [year]);
  const settings = useApiQuery('print.settings', {});
  // The newest period begun, by its number (each class prints its own period of that number).
  const today = useSchoolToday();
  const startPeriod = periodToPrint([...year.periods].sort((a, b) => a.startsOn.localeCompare(b.startsOn)), today);
  const form = useContractForm(schoolPrintFields, { period: startPeriod ? String(startPeriod.number) : 'year', folder: '', duplex: false });
  const [pickError, setPickError] = useState<string | null>(null);
  const tracker = useJob(SCHOOL_PRINT_KIND, onPrinted);
  const running = tracker.active;

  // Two-sided as the school prints, until the person says otherwise.
  const schoolDuplex = settings.data?.duplex;
  useEffect(() => {
    if (schoolDuplex !== undefined && !form.getFieldState('duplex').isDirty) form.resetField('duplex', { defaultValue: schoolDuplex });
  }, [schoolDuplex, form]);

  async function start(values: z.output<typeof schoolPrintFields>) {
    setPickError(null);
    try {
      tracker.track(await api.call('print.schoolJob.start', { yearId: year.id, ...values }));
    } catch (error) {
      const failure = asApiError(error);
      // This deputy is printing already (in another window): show that job.
      const runningId = (failure.details as { jobId?: unknown } | undefined)?.jobId;
      if (failure.kind === 'conflict' && typeof runningId === 'string') tracker.follow(runningId);
      throw failure;
    }
  }

  async function pickFolder() {
    try {
      const chosen = await chooseFolder('Папка для журналов всей школы');
      if (chosen) form.setValue('folder', chosen, { shouldValidate: true, shouldDirty: true });
    } catch (error) {
      setPickError(asApiError(error).message);
    }
  }

  return (
    <section className="card" aria-label="Вся школа">
      <h2>Вся школа за период</h2>
      <p className="muted small">
        Журналы всех классов {year.name} учебного года записываются в папку, по PDF-файлу на класс; каждая печать записывается в журнал печати. Печать
        идёт в программе, класс за классом: на это время можно перейти на другую страницу.
      </p>
      {!running && (
        <ContractForm
          form={form}
          aria-label="Печать всей школы"
          className="filters print-choice"
          submitLabel={`Напечатать все классы (${classes.length})`}
          busyLabel="Начинаю печать…"
          disabled={classes.length === 0}
          onSubmit={start}
        >
          <FormSelect name="period" label="Период" options={periodOptions} />
          {folderChoice === 'native' ? (
            <div className="folder-choice">
              <FormText name="folder" label="Папка для файлов" readOnly placeholder="не выбрана" size={36} />
              <button type="button" className="button" onClick={() => void pickFolder()}>
                Выбрать папку…
              </button>
            </div>
          ) : (
            <FormText
              name="folder"
              label="Папка для файлов"
              size={40}
              spellCheck={false}
              placeholder="/home/zavuch/Журналы"
              hint="Полный путь к существующей папке на компьютере, где работает журнал: в браузере нет окна выбора папки."
            />
          )}
          <FormCheckbox name="duplex" label="С двух сторон листа" />
        </ContractForm>
      )}
      <ErrorMessage error={pickError} />
      <JobProgress tracker={tracker} currentUnit="класса" label="Ход печати" />
      <JobItems job={tracker.job} labelHeading="Класс" label="Файлы всей школы" />
    </section>
  );
}
