import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorMessage } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { Form, SelectField, TextField } from '../../ui/form';
import { JobItems, JobProgress, useJob } from '../../ui/job-progress';

// The year-end archive (D-35, D-36, D-40): journals as PDF per class, summary
// sheets, the data as CSV and JSON with a signed manifest, into a folder or onto a drive.

export function ExportYearCard() {
  const years = useApiQuery('school.years.list', {});
  const sorted = [...(years.data ?? [])].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  // The latest closed year is the one to archive; else the latest.
  const preferred = sorted.find((year) => year.closedAt !== null) ?? sorted[0];
  const [yearName, setYearName] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  // The export runs as a job in the core: a step per part, «Остановить», then what it wrote.
  const tracker = useJob('backup.exportYear');
  const chosen = yearName ?? preferred?.name ?? '';

  return (
    <section className="card" aria-label="Архив учебного года">
      <h2>Архив учебного года</h2>
      <p className="small muted">Для хранения на годы: журналы и сводные ведомости в PDF, данные в CSV и JSON, подписанное оглавление.</p>
      <ErrorMessage error={years.error} />
      {years.data && years.data.length === 0 && <p className="muted">Учебных лет ещё нет.</p>}
      {sorted.length > 0 && (
        <Form
          aria-label="Архив учебного года"
          submitLabel="Выгрузить архив"
          busyLabel="Выгружаю архив…"
          disabled={tracker.active}
          onSubmit={async () => {
            tracker.track(await api.call('backup.exportYear', { year: chosen, to: folder }));
          }}
        >
          <SelectField
            name="year"
            label="Учебный год"
            value={chosen}
            onChange={setYearName}
            options={sorted.map((year) => ({ value: year.name, label: `${year.name}${year.closedAt ? ' (закрыт)' : ' (не закрыт)'}` }))}
          />
          <TextField name="to" label="Папка или флешка" value={folder} onChange={setFolder} className="mono" placeholder="E:\Архив" />
        </Form>
      )}
      <JobProgress tracker={tracker} currentUnit="шага" label="Ход выгрузки архива" />
      {tracker.job && !tracker.active && <JobItems job={tracker.job} labelHeading="Шаг" label="Шаги выгрузки архива" />}
    </section>
  );
}
