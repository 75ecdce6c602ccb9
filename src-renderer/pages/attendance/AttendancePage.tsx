import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { attendanceCodes, attendanceTitles, isAbsence, isUnresolved, reasonCodes, type AttendanceCode } from '../../../src-shared/rules/attendance';
import { addDays } from '../../../src-shared/rules/dates';
import { api, asApiError } from '../../api/client';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { abbreviate } from '../../journal/abbreviate';
import { schoolLocalNow } from '../../lib/time';
import '../../journal/journal.css';
import './attendance.css';
import { DateFilter } from '../../ui/date-input';

// /attendance — the class teacher's attendance (D-28). «День»: students × the day's lessons
// (7–8 fit at 1366 px); each «ОТ» becomes «УП», «Б» or «НП», per lesson or for the whole day
// at once. «Неделя»: the week around the day, day by day. «Период»: the study period's totals.
// Red means one thing here: an «ОТ» still without a reason.

type ClassDay = MethodOutput<'attendance.classDay'>;
type ClassSpan = MethodOutput<'attendance.classSpan'>;
type Reason = (typeof reasonCodes)[number];
type View = 'day' | 'week' | 'period';

const reasonTitles: Record<Reason, string> = { УП: 'уважительная', Б: 'болезнь', НП: 'неуважительная' };
const viewTitles: Record<View, string> = { day: 'День', week: 'Неделя', period: 'Период' };
const weekdayShort = ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'];

export function schoolToday(timeZone: string): string {
  return schoolLocalNow(timeZone).slice(0, 10);
}

const shortDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;
const weekdayOfDate = (date: string) => weekdayShort[new Date(`${date}T12:00:00Z`).getUTCDay()]!;

/** The day before or after, over Sunday (no school day in any timetable). */
function schoolDayBeside(date: string, step: -1 | 1): string {
  let next = addDays(date, step);
  if (new Date(`${next}T12:00:00Z`).getUTCDay() === 0) next = addDays(next, step);
  return next;
}

export function AttendancePage() {
  const { user, school } = useSession();
  const classes = user.classTeacherOf;
  const [classId, setClassId] = useState(classes[0]?.id ?? 0);
  const [date, setDate] = useState(() => schoolToday(school.timeZone));
  const [view, setView] = useState<View>('day');
  const [day, setDay] = useState<ClassDay | null>(null);
  const [span, setSpan] = useState<ClassSpan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!classId || !date) return;
    try {
      if (view === 'day') setDay(await api.call('attendance.classDay', { classId, date }));
      else setSpan(await api.call('attendance.classSpan', { classId, date, span: view }));
      setError(null);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }, [classId, date, view]);

  useEffect(() => {
    void load();
  }, [load]);

  // A message about another day or class is not about what is on screen now.
  useEffect(() => {
    setNotice(null);
    setError(null);
    setSpan(null);
  }, [classId, date, view]);

  if (classes.length === 0) return <p className="muted">Вы не классный руководитель: разбор пропусков ведёт классный руководитель своего класса.</p>;

  async function act(work: () => Promise<unknown>, done: string) {
    try {
      await work();
      setNotice(done);
      setError(null);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
    await load();
  }

  const openDay = (chosen: string) => {
    setDate(chosen);
    setView('day');
  };
  return (
    <div>
      <div className="journal-toolbar">
        {classes.length > 1 ? (
          <label>
            Класс
            <select aria-label="Класс" value={classId} onChange={(event) => setClassId(Number(event.target.value))}>
              {classes.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="journal-title">{classes[0]!.name}</span>
        )}
        <div className="day-step">
          <button type="button" className="button button-quiet" aria-label="Предыдущий учебный день" title="Предыдущий учебный день" onClick={() => setDate(schoolDayBeside(date, -1))}>
            ‹
          </button>
          <label>
            День
            <DateFilter aria-label="День" value={date} onDate={setDate} />
          </label>
          <button type="button" className="button button-quiet" aria-label="Следующий учебный день" title="Следующий учебный день" onClick={() => setDate(schoolDayBeside(date, 1))}>
            ›
          </button>
        </div>
        <div className="segmented" role="group" aria-label="Показать">
          {(Object.keys(viewTitles) as View[]).map((item) => (
            <button key={item} type="button" className="button" aria-pressed={view === item} onClick={() => setView(item)}>
              {viewTitles[item]}
            </button>
          ))}
        </div>
        {view === 'day' && day && day.date === date && day.lessons.length > 0 && (
          <span className={day.unresolvedTotal > 0 ? 'badge badge-bad' : 'badge badge-ok'}>
            {day.unresolvedTotal > 0 ? `«ОТ» без причины: ${day.unresolvedTotal}` : 'Все пропуски разобраны'}
          </span>
        )}
      </div>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      {view === 'day' && day && day.date === date && <DayTable day={day} classId={classId} act={act} />}
      {view !== 'day' && span && <SpanTable span={span} view={view} onOpenDay={openDay} />}
    </div>
  );
}

function DayTable({ day, classId, act }: { day: ClassDay; classId: number; act(work: () => Promise<unknown>, done: string): Promise<void> }) {
  if (day.lessons.length === 0) return <p className="muted">В этот день уроков в журнале нет.</p>;
  return (
    <table className="table table-compact attendance-table" aria-label={`Посещаемость ${day.className} за день`}>
      <colgroup>
        <col className="att-name-col" />
        {day.lessons.map((lesson) => (
          <col key={lesson.lessonId} />
        ))}
        <col className="att-day-col" />
      </colgroup>
      <thead>
        <tr>
          <th>Ученик</th>
          {day.lessons.map((lesson) => (
            <th key={lesson.lessonId} className="att-head" title={`${lesson.subjectName}, ${lesson.teacherName}`}>
              {lesson.lessonNumber ? `${lesson.lessonNumber}. ` : ''}
              <Link to={`/journal/${lesson.loadId}`} aria-label={lesson.subjectName}>
                {abbreviate(lesson.subjectName, 6)}
              </Link>
            </th>
          ))}
          <th>Весь день</th>
        </tr>
      </thead>
      <tbody>
        {day.students.map((student) => {
          const absent = student.cells.some((cell) => isAbsence(cell.code));
          return (
            <tr key={student.studentId} aria-label={student.fullName}>
              <td className="att-name" title={student.fullName}>
                {student.fullName}
              </td>
              {day.lessons.map((lesson) => {
                const cell = student.cells.find((item) => item.lessonId === lesson.lessonId);
                const open = isUnresolved(cell?.code);
                return (
                  <td key={lesson.lessonId} className={`att-cell ${open ? 'att-open' : ''}`} title={cell ? attendanceTitles[cell.code] : 'был на уроке'}>
                    {cell && isAbsence(cell.code) && day.canResolve ? (
                      <select
                        aria-label={`${student.fullName}, ${lesson.subjectName}`}
                        value={cell.code}
                        onChange={(event) =>
                          void act(
                            () => api.call('attendance.resolve', { lessonId: lesson.lessonId, studentId: student.studentId, code: event.target.value as Reason | 'ОТ', version: cell.version }),
                            `${student.fullName}: ${lesson.subjectName} — «${event.target.value}».`,
                          )
                        }
                      >
                        <option value="ОТ" title={attendanceTitles.ОТ}>
                          ОТ
                        </option>
                        {reasonCodes.map((code) => (
                          <option key={code} value={code} title={reasonTitles[code]}>
                            {code}
                          </option>
                        ))}
                      </select>
                    ) : (
                      (cell?.code ?? '')
                    )}
                  </td>
                );
              })}
              <td className="att-actions">
                {absent && day.canResolve
                  ? reasonCodes.map((code) => (
                      <button
                        key={code}
                        type="button"
                        className="button"
                        title={`Все пропуски за день: ${attendanceTitles[code]}`}
                        aria-label={`${student.fullName}: весь день ${code}`}
                        onClick={() =>
                          void act(() => api.call('attendance.resolveDay', { classId, studentId: student.studentId, date: day.date, code }), `${student.fullName}: все пропуски за день — «${code}».`)
                        }
                      >
                        {code}
                      </button>
                    ))
                  : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** «ОТ 2 · Б 1» for the codes of one day or one period. */
function codesText(items: readonly { code: AttendanceCode; count: number }[]) {
  return items.map((item) => (
    <span key={item.code} className={isUnresolved(item.code) ? 'att-open-text' : undefined} title={attendanceTitles[item.code]}>
      {item.code}
      {item.count > 1 ? ` ${item.count}` : ''}
    </span>
  ));
}

function SpanTable({ span, view, onOpenDay }: { span: ClassSpan; view: Exclude<View, 'day'>; onOpenDay(date: string): void }) {
  const missed = (items: readonly { code: AttendanceCode; count: number }[]) => items.filter((item) => isAbsence(item.code)).reduce((sum, item) => sum + item.count, 0);
  return (
    <>
      <h2 className="att-span-title">
        {span.className}: {span.title}
      </h2>
      {span.days.length === 0 ? (
        <p className="muted">В эти дни уроков в журнале нет.</p>
      ) : view === 'week' ? (
        <table className="table table-compact attendance-table" aria-label={`Посещаемость ${span.className} за неделю`}>
          <colgroup>
            <col className="att-name-col" />
            {span.days.map((item) => (
              <col key={item.date} />
            ))}
            <col className="att-total-col" />
          </colgroup>
          <thead>
            <tr>
              <th>Ученик</th>
              {span.days.map((item) => (
                <th key={item.date} className="att-head" title={`Уроков: ${item.lessons}`}>
                  <button type="button" className="row-link" onClick={() => onOpenDay(item.date)} aria-label={`Открыть день ${shortDate(item.date)}`}>
                    {weekdayOfDate(item.date)}, {shortDate(item.date)}
                  </button>
                </th>
              ))}
              <th className="att-head" title="Пропущено уроков за неделю">
                Пропущено
              </th>
            </tr>
          </thead>
          <tbody>
            {span.students.map((student) => (
              <tr key={student.studentId} aria-label={student.fullName}>
                <td className="att-name" title={student.fullName}>
                  {student.fullName}
                </td>
                {span.days.map((item) => {
                  const cells = student.cells.filter((cell) => cell.date === item.date);
                  return (
                    <td key={item.date} className={`att-cell ${cells.some((cell) => isUnresolved(cell.code)) ? 'att-open' : ''}`}>
                      {codesText(cells)}
                    </td>
                  );
                })}
                <td className="att-cell">{missed(student.totals) || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <table className="table table-compact attendance-table" aria-label={`Посещаемость ${span.className}: ${span.title}`}>
          <colgroup>
            <col className="att-name-col" />
            {attendanceCodes.map((code) => (
              <col key={code} />
            ))}
            <col className="att-total-col" />
          </colgroup>
          <thead>
            <tr>
              <th>Ученик</th>
              {attendanceCodes.map((code) => (
                <th key={code} className="att-head" title={attendanceTitles[code]}>
                  {code}
                </th>
              ))}
              <th className="att-head" title="Пропущено уроков за период (без опозданий)">
                Пропущено
              </th>
            </tr>
          </thead>
          <tbody>
            {span.students.map((student) => (
              <tr key={student.studentId} aria-label={student.fullName}>
                <td className="att-name" title={student.fullName}>
                  {student.fullName}
                </td>
                {attendanceCodes.map((code) => {
                  const count = student.totals.find((total) => total.code === code)?.count ?? 0;
                  return (
                    <td key={code} className={`att-cell ${count > 0 && isUnresolved(code) ? 'att-open' : ''}`}>
                      {count || ''}
                    </td>
                  );
                })}
                <td className="att-cell">{missed(student.totals) || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Уроков в журнале: {span.days.reduce((sum, item) => sum + item.lessons, 0)} за {span.days.length} дн. ОТ — без причины (красным), УП — уважительная, Б — болезнь, НП — неуважительная, ОП —
        опоздание.
      </p>
    </>
  );
}

/** Home widget «Неразобранные пропуски сегодня» for class teachers. */
export function UnresolvedAbsencesWidget() {
  const { user, school } = useSession();
  const [days, setDays] = useState<ClassDay[] | null>(null);
  useEffect(() => {
    const today = schoolToday(school.timeZone);
    Promise.all(user.classTeacherOf.map((item) => api.call('attendance.classDay', { classId: item.id, date: today }))).then(setDays, () => setDays([]));
  }, [user.classTeacherOf, school.timeZone]);
  if (user.classTeacherOf.length === 0) return null;
  return (
    <div>
      <h2>Неразобранные пропуски сегодня</h2>
      {!days && <p className="muted small">Загружаю…</p>}
      {days?.map((day) => (
        <div key={day.classId}>
          {day.unresolvedTotal === 0 ? (
            <p className="small">{day.className}: неразобранных «ОТ» нет.</p>
          ) : (
            <>
              <p>
                <strong>{day.className}</strong>: «ОТ» без причины — {day.unresolvedTotal}. <Link to="/attendance">Разобрать</Link>
              </p>
              <ul className="widget-list">
                {day.students
                  .filter((student) => student.unresolved > 0)
                  .map((student) => (
                    <li key={student.studentId}>
                      {student.fullName}: {student.unresolved}
                    </li>
                  ))}
              </ul>
            </>
          )}
        </div>
      ))}
    </div>
  );
}
