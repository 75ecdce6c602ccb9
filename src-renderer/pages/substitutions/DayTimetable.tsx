import { useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { shortPersonName } from '../../../src-shared/rules/substitutions';
import { api, asApiError } from '../../api/client';
import { classOptions, ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { DateFilter } from '../../ui/date-input';

// The timetable of one day with its transfers and substitutions; the deputy moves a lesson
// for that day (перенос) from here and cancels a transfer in the list below it.

type DayLesson = MethodOutput<'transfers.day'>['lessons'][number];

export function DayTimetable({ today, manages, onChanged }: { today: string; manages: boolean; onChanged(): void }) {
  const [date, setDate] = useState(today);
  const [classId, setClassId] = useState('');
  const classes = useApiQuery('school.classes.list', { date });
  const day = useApiQuery('transfers.day', { date, ...(classId ? { classId: Number(classId) } : {}) });
  const transfers = useApiQuery('transfers.list', { from: date, to: date });
  const [moving, setMoving] = useState<DayLesson | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function reload() {
    await Promise.all([day.reload(), transfers.reload()]);
    onChanged();
  }

  return (
    <section className="card" aria-label="Расписание на день">
      <h2>Расписание на день</h2>
      <div className="toolbar">
        <label>
          Дата <DateFilter aria-label="Дата расписания" value={date} onDate={setDate} />
        </label>
        <label>
          Класс{' '}
          <select aria-label="Класс" value={classId} onChange={(event) => setClassId(event.target.value)}>
            <option value="">все классы</option>
            {classOptions(classes.data).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={day.error} />
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {!day.data ? (
        !day.error && <Loading />
      ) : day.data.holiday ? (
        <p className="muted">{russianDate(date)}: уроков нет ({day.data.holiday}).</p>
      ) : day.data.lessons.length === 0 ? (
        <p className="muted">{russianDate(date)}: уроков по расписанию нет.</p>
      ) : (
        <table className="table table-compact" aria-label={`Расписание на ${russianDate(date)}`}>
          <thead>
            <tr>
              <th>Урок</th>
              <th>Класс</th>
              <th>Предмет</th>
              <th>Учитель</th>
              <th>Каб.</th>
              <th>Изменения</th>
              {manages && <th />}
            </tr>
          </thead>
          <tbody>
            {day.data.lessons.map((lesson) => (
              <tr key={`${lesson.loadId}-${lesson.lessonNumber}`}>
                <td>{lesson.lessonNumber}</td>
                <td>
                  {lesson.className}
                  {lesson.subgroupName ? ` (${lesson.subgroupName})` : ''}
                </td>
                <td>{lesson.subjectName}</td>
                <td>{shortPersonName(lesson.teacherName)}</td>
                <td>{lesson.room}</td>
                <td>{[lesson.transferredFrom, lesson.substitution].filter(Boolean).join('; ')}</td>
                {manages && (
                  <td>
                    {!lesson.transferredFrom && (
                      <button type="button" className="button button-quiet button-small" onClick={() => setMoving(lesson)}>
                        Перенести…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {moving && (
        <MoveForm
          lesson={moving}
          date={date}
          onDone={async () => {
            setMoving(null);
            await reload();
          }}
          onCancel={() => setMoving(null)}
        />
      )}
      {transfers.data && transfers.data.length > 0 && (
        <>
          <h3>Переносы в этот день</h3>
          <ul>
            {transfers.data.map((x) => (
              <li key={x.id}>
                {x.className}, {x.subjectName}: с {russianDate(x.fromDate)}, {x.fromLessonNumber} урок → на {russianDate(x.toDate)}, {x.toLessonNumber} урок ({x.reason}
                {x.orderNumber ? `, приказ ${x.orderNumber}` : ''}){' '}
                {manages && (
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={async () => {
                      try {
                        await api.call('transfers.remove', { id: x.id });
                        setError(null);
                        await reload();
                      } catch (thrown) {
                        setError(asApiError(thrown).message);
                      }
                    }}
                  >
                    Отменить перенос
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function MoveForm({ lesson, date, onDone, onCancel }: { lesson: DayLesson; date: string; onDone(): Promise<void>; onCancel(): void }) {
  const [toDate, setToDate] = useState(date);
  const [toLesson, setToLesson] = useState('');
  const [reason, setReason] = useState('');
  const [orderNumber, setOrderNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const title = `Перенос: ${lesson.className}, ${lesson.subjectName}, ${russianDate(date)}, ${lesson.lessonNumber} урок`;
  return (
    <form
      className="filters"
      aria-label="Перенос урока"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await api.call('transfers.add', { loadId: lesson.loadId, fromDate: date, fromLessonNumber: lesson.lessonNumber, toDate, toLessonNumber: Number(toLesson), reason, orderNumber });
          await onDone();
        } catch (thrown) {
          setError(asApiError(thrown).message);
        }
      }}
    >
      <strong>{title}</strong>
      <label>
        На дату <DateFilter aria-label="На дату" optional value={toDate} onDate={setToDate} />
      </label>
      <label>
        Урок № <input inputMode="numeric" size={3} value={toLesson} onChange={(event) => setToLesson(event.target.value)} />
      </label>
      <label>
        Причина <input value={reason} onChange={(event) => setReason(event.target.value)} />
      </label>
      <label>
        Приказ № <input size={8} value={orderNumber} onChange={(event) => setOrderNumber(event.target.value)} />
      </label>
      <button type="submit" className="button button-primary button-small" disabled={!toLesson || !reason.trim()}>
        Перенести
      </button>
      <button type="button" className="button button-quiet button-small" onClick={onCancel}>
        Отмена
      </button>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
