import type { AcademicYear } from '../../../src-shared/contract/school';
import { backupContract } from '../../../src-shared/contract/backup';
import { api } from '../../api/client';
import { ErrorMessage } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormSelect, FormText, useContractForm } from '../../ui/contract-form';
import { JobItems, JobProgress, useJob, type JobTracker } from '../../ui/job-progress';

// The year-end archive (D-35, D-36, D-40): journals as PDF per class, summary
// sheets, the data as CSV and JSON with a signed manifest, into a folder or onto a drive.

const exportFields = backupContract['backup.exportYear'].input;

export function ExportYearCard() {
  const years = useApiQuery('school.years.list', {});
  const sorted = [...(years.data ?? [])].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  // The export runs as a job in the core: a step per part, «Остановить», then what it wrote.
  const tracker = useJob('backup.exportYear');

  return (
    <section className="card" aria-label="Архив учебного года">
      <h2>Архив учебного года</h2>
      <p className="small muted">Для хранения на годы: журналы и сводные ведомости в PDF, данные в CSV и JSON, подписанное оглавление.</p>
      <ErrorMessage error={years.error} />
      {years.data && years.data.length === 0 && <p className="muted">Учебных лет ещё нет.</p>}
      {sorted.length > 0 && <ExportYearForm years={sorted} tracker={tracker} />}
      <JobProgress tracker={tracker} currentUnit="шага" label="Ход выгрузки архива" />
      {tracker.job && !tracker.active && <JobItems job={tracker.job} labelHeading="Шаг" label="Шаги выгрузки архива" />}
    </section>
  );
}

/** `years`: newest first. */
function ExportYearForm({ years, tracker }: { years: readonly AcademicYear[]; tracker: JobTracker }) {
  // The latest closed year is the one to archive; else the latest.
  const preferred = years.find((year) => year.closedAt !== null) ?? years[0]!;
  const form = useContractForm(exportFields, { year: preferred.name, to: '' });
  return (
    <ContractForm
      form={form}
      aria-label="Архив учебного года"
      submitLabel="Выгрузить архив"
      busyLabel="Выгружаю архив…"
      disabled={tracker.active}
      onSubmit={async (values) => tracker.track(await api.call('backup.exportYear', values))}
    >
      <FormSelect name="year" label="Учебный год" options={years.map((year) => ({ value: year.name, label: `${year.name}${year.closedAt ? ' (закрыт)' : ' (не закрыт)'}` }))} />
      <FormText name="to" label="Папка или флешка" className="mono" placeholder="E:\Архив" />
    </ContractForm>
  );
}
