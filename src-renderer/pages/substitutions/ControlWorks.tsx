import { useState } from 'react';
import { monthRange } from '../../../src-shared/rules/substitutions';
import { api, asApiError } from '../../api/client';
import { ErrorMessage, Loading, ruDate } from '../../school/common';
import { useApiQuery } from '../../school/use-api';

// The control-work schedule of a month (002 §7A.5): the deputy plans a work per class and
// subject (a warning when the school's limits are passed), moves it with a reason, and sees
// the works whose marks are not in by the grade's days.

export function ControlWorks({ month, manages }: { month: string; manages: boolean }) {
  const { from, to } = monthRange(month);
  const works = useApiQuery('controlWorks.list', { from, to });
  const overdue = useApiQuery('controlWorks.overdue', manages ? {} : null);
  const loads = useApiQuery('journal.myLoads', manages ? {} : null);
  const [loadId, setLoadId] = useState('');
  const [date, setDate] = useState('');
  const [title, setTitle] = useState('Контрольная работа');
  const [notice, setNotice] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function plan() {
    try {
      const planned = await api.call('controlWorks.plan', { loadId: Number(loadId), date, title });
      setNotice(planned.warnings.length ? planned.warnings : [`Запланировано: ${planned.work.className}, «${planned.work.subjectName}», ${ruDate(planned.work.date)}.`]);
      setError(null);
      await works.reload();
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }

  return (
    <section className="card" aria-label="Контрольные работы">
      <h2>График контрольных работ</h2>
      {manages && (
        <form
          className="filters"
          aria-label="Запланировать контрольную работу"
          onSubmit={(event) => {
            event.preventDefault();
            void plan();
          }}
        >
          <label>
            Класс и предмет{' '}
            <select value={loadId} onChange={(event) => setLoadId(event.target.value)}>
              <option value="">— выберите —</option>
              {(loads.data ?? []).map((l) => (
                <option key={l.loadId} value={l.loadId}>
                  {l.className} — {l.subjectName}
                  {l.subgroupName ? ` (${l.subgroupName})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            Дата <input type="date" value={date} onChange={(event) => setDate(event.target.value)} />
          </label>
          <label>
            Работа <input value={title} onChange={(event) => setTitle(event.target.value)} />
          </label>
          <button type="submit" className="button button-primary button-small" disabled={!loadId || !date || !title.trim()}>
            Запланировать
          </button>
        </form>
      )}
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {notice.map((line) => (
        <p key={line} className="message message-warn" role="status">
          {line}
        </p>
      ))}
      <ErrorMessage error={works.error} />
      {!works.data ? (
        !works.error && <Loading />
      ) : works.data.length === 0 ? (
        <p className="muted">В этом месяце контрольных работ в графике нет.</p>
      ) : (
        <table className="table table-compact" aria-label="График контрольных работ">
          <thead>
            <tr>
              <th>Дата</th>
              <th>Класс</th>
              <th>Предмет</th>
              <th>Работа</th>
              <th>Учитель</th>
              <th>Перенос</th>
            </tr>
          </thead>
          <tbody>
            {works.data.map((w) => (
              <tr key={w.id}>
                <td>{ruDate(w.date)}</td>
                <td>
                  {w.className}
                  {w.subgroupName ? ` (${w.subgroupName})` : ''}
                </td>
                <td>{w.subjectName}</td>
                <td>{w.title}</td>
                <td>{w.teacherName}</td>
                <td>{w.correctionReason ? `с ${ruDate(w.plannedDate)}: ${w.correctionReason}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overdue.data && overdue.data.length > 0 && (
        <>
          <h3>Не проверены в срок</h3>
          <ul aria-label="Не проверены в срок">
            {overdue.data.map((o) => (
              <li key={o.work.id}>
                {o.work.className}, «{o.work.subjectName}», {ruDate(o.work.date)} ({o.work.teacherName}): отметок нет, срок — {ruDate(o.dueDate)}, просрочено на {o.daysOverdue} дн.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
