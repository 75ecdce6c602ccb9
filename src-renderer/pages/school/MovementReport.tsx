import { useState } from 'react';
import type { z } from 'zod';
import type { movementRow } from '../../../src-shared/contract/school';
import { ErrorMessage, Loading, russianDate, Toolbar, useSchoolToday } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { DateFilter } from '../../ui/date-input';

type MovementRow = z.infer<typeof movementRow>;

/** D-13: the arrived and the departed for a period, with their orders. */
export function MovementReport() {
  const today = useSchoolToday();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const movement = useApiQuery('students.movement', from && to ? { from, to } : null);
  return (
    <section aria-label="Прибывшие и выбывшие">
      <Toolbar>
        <label className="inline-choice">
          С <DateFilter value={from} onDate={setFrom} aria-label="С даты" />
        </label>
        <label className="inline-choice">
          по <DateFilter value={to} onDate={setTo} aria-label="По дату" />
        </label>
      </Toolbar>
      <ErrorMessage error={movement.error} />
      {!movement.data ? (
        !movement.error && <Loading />
      ) : (
        <div className="columns">
          <MovementTable title="Прибывшие" rows={movement.data.arrived} />
          <MovementTable title="Выбывшие" rows={movement.data.departed} />
        </div>
      )}
    </section>
  );
}

function MovementTable({ title, rows }: { title: string; rows: MovementRow[] }) {
  return (
    <section className="card" aria-label={title}>
      <h2>
        {title}: {rows.length}
      </h2>
      {rows.length === 0 ? (
        <p className="muted">Никого.</p>
      ) : (
        <table className="table table-compact">
          <thead>
            <tr>
              <th>Дата</th>
              <th>ФИО</th>
              <th>Класс</th>
              <th>Приказ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.studentId}-${row.date}`}>
                <td className="nowrap">{russianDate(row.date)}</td>
                <td>{row.fullName}</td>
                <td>{row.className}</td>
                <td>{row.order}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
