import { useState } from 'react';
import { monthRange } from '../../../src-shared/rules/substitutions';
import { api, asApiError } from '../../api/client';
import { ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { DateFilter } from '../../ui/date-input';

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

  async function act(action: () => Promise<string[]>) {
    try {
      setNotice(await action());
      setError(null);
      await Promise.all([works.reload(), overdue.reload()]);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }

  async function plan() {
    try {
      const planned = await api.call('controlWorks.plan', { loadId: Number(loadId), date, title });
      setNotice(planned.warnings.length ? planned.warnings : [`Запланировано: ${planned.work.className}, «${planned.work.subjectName}», ${russianDate(planned.work.date)}.`]);
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
            Дата <DateFilter aria-label="Дата" optional value={date} onDate={setDate} />
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
              {manages && <th>Действия</th>}
            </tr>
          </thead>
          <tbody>
            {works.data.map((w) => (
              <tr key={w.id}>
                <td>{russianDate(w.date)}</td>
                <td>
                  {w.className}
                  {w.subgroupName ? ` (${w.subgroupName})` : ''}
                </td>
                <td>{w.subjectName}</td>
                <td>{w.title}</td>
                <td>{w.teacherName}</td>
                <td>{w.correctionReason ? `с ${russianDate(w.plannedDate)}: ${w.correctionReason}` : ''}</td>
                {manages && (
                  <td>
                    <WorkActions
                      label={`${w.className}, «${w.subjectName}», ${russianDate(w.date)}`}
                      date={w.date}
                      onMove={(date, reason) =>
                        act(async () => {
                          const moved = await api.call('controlWorks.move', { id: w.id, date, reason });
                          return moved.warnings.length ? moved.warnings : [`Перенесено на ${russianDate(moved.work.date)}.`];
                        })
                      }
                      onRemove={() =>
                        act(async () => {
                          await api.call('controlWorks.remove', { id: w.id });
                          return [`Убрано из графика: ${w.className}, «${w.subjectName}», ${russianDate(w.date)}.`];
                        })
                      }
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manages && <ControlWorkNorms />}
      {overdue.data && overdue.data.length > 0 && (
        <>
          <h3>Не проверены в срок</h3>
          <ul aria-label="Не проверены в срок">
            {overdue.data.map((o) => (
              <li key={o.work.id}>
                {o.work.className}, «{o.work.subjectName}», {russianDate(o.work.date)} ({o.work.teacherName}): отметок нет, срок — {russianDate(o.dueDate)}, просрочено на {o.daysOverdue} дн.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** «Перенести» opens the new date and the reason in the row; «Убрать» asks once. */
function WorkActions({ label, date, onMove, onRemove }: { label: string; date: string; onMove(date: string, reason: string): Promise<void>; onRemove(): Promise<void> }) {
  const [moving, setMoving] = useState(false);
  const [newDate, setNewDate] = useState(date);
  const [reason, setReason] = useState('');
  if (!moving) {
    return (
      <span className="control-work-actions">
        <button type="button" className="button button-quiet button-small" onClick={() => setMoving(true)} aria-label={`Перенести: ${label}`}>
          Перенести
        </button>{' '}
        <button
          type="button"
          className="button button-quiet button-small"
          aria-label={`Убрать: ${label}`}
          onClick={() => {
            if (window.confirm(`Убрать из графика: ${label}?`)) void onRemove();
          }}
        >
          Убрать
        </button>
      </span>
    );
  }
  return (
    <form
      className="control-work-actions"
      aria-label={`Перенос: ${label}`}
      onSubmit={(event) => {
        event.preventDefault();
        void onMove(newDate, reason).then(() => setMoving(false));
      }}
    >
      <DateFilter aria-label="Новая дата" optional value={newDate} onDate={setNewDate} />{' '}
      <input aria-label="Причина переноса" placeholder="Причина" value={reason} onChange={(event) => setReason(event.target.value)} />{' '}
      <button type="submit" className="button button-primary button-small" disabled={!newDate || !reason.trim()}>
        Сохранить
      </button>{' '}
      <button type="button" className="button button-quiet button-small" onClick={() => setMoving(false)}>
        Отмена
      </button>
    </form>
  );
}

const GRADE_TITLES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/** The school's limits per class and the days to mark a written work, per grade. */
function ControlWorkNorms() {
  const settings = useApiQuery('controlWorks.settings', {});
  const [draft, setDraft] = useState<{ perDay: number; perWeek: number; dueDaysByGrade: number[] } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const current = draft ?? settings.data;
  if (!current) return <ErrorMessage error={settings.error} />;
  const change = (next: Partial<typeof current>) => setDraft({ ...current, ...next });
  const number = (value: string) => (value === '' ? 0 : Number(value));
  return (
    <details className="control-work-norms">
      <summary>Нормы контрольных работ и сроки проверки</summary>
      <form
        aria-label="Нормы контрольных работ"
        onSubmit={(event) => {
          event.preventDefault();
          api.call('controlWorks.saveSettings', current).then(
            (saved) => {
              setDraft(saved);
              setMessage({ text: 'Нормы сохранены.', error: false });
            },
            (thrown: unknown) => setMessage({ text: asApiError(thrown).message, error: true }),
          );
        }}
      >
        <p className="filters">
          <label>
            Не больше в день{' '}
            <input type="number" min={1} max={5} value={current.perDay} onChange={(event) => change({ perDay: number(event.target.value) })} />
          </label>
          <label>
            в неделю{' '}
            <input type="number" min={1} max={15} value={current.perWeek} onChange={(event) => change({ perWeek: number(event.target.value) })} />
          </label>
        </p>
        <table className="table table-compact" aria-label="Срок проверки письменных работ, дней">
          <thead>
            <tr>
              <th>Класс</th>
              {GRADE_TITLES.map((grade) => (
                <th key={grade}>{grade}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Дней на проверку</th>
              {current.dueDaysByGrade.map((days, grade) => (
                <td key={grade}>
                  <input
                    type="number"
                    min={1}
                    max={30}
                    className="control-work-days"
                    aria-label={`Срок проверки, ${GRADE_TITLES[grade]} класс`}
                    value={days}
                    onChange={(event) => change({ dueDaysByGrade: current.dueDaysByGrade.map((d, g) => (g === grade ? number(event.target.value) : d)) })}
                  />
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <button type="submit" className="button button-primary button-small">
          Сохранить нормы
        </button>
        {message && (
          <p className={message.error ? 'message message-error' : 'message message-success'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
