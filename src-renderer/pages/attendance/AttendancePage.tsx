import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { attendanceTitles, isAbsence, isUnresolved, reasonCodes } from '../../../src-shared/rules/attendance';
import { api, asApiError } from '../../api/client';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { schoolLocalNow } from '../../lib/time';
import '../../journal/journal.css';

// /attendance — the class teacher's day (D-28): students × the day's lessons; each «ОТ»
// becomes «УП», «Б» or «НП», per lesson or for the whole day at once. What is still «ОТ»
// today stands out.

type ClassDay = MethodOutput<'attendance.classDay'>;
type Reason = (typeof reasonCodes)[number];

const reasonTitles: Record<Reason, string> = { УП: 'уважительная', Б: 'болезнь', НП: 'неуважительная' };

export function schoolToday(timeZone: string): string {
  return schoolLocalNow(timeZone).slice(0, 10);
}

export function AttendancePage() {
  const { user, school } = useSession();
  const classes = user.classTeacherOf;
  const [classId, setClassId] = useState(classes[0]?.id ?? 0);
  const [date, setDate] = useState(() => schoolToday(school.timeZone));
  const [day, setDay] = useState<ClassDay | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!classId || !date) return;
    try {
      setDay(await api.call('attendance.classDay', { classId, date }));
      setError(null);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }, [classId, date]);

  useEffect(() => {
    void load();
  }, [load]);

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

  const today = schoolToday(school.timeZone);
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
        <label>
          День
          <input type="date" aria-label="День" value={date} max={today} onChange={(event) => setDate(event.target.value)} />
        </label>
        {day && (
          <span className={day.unresolvedTotal > 0 && date === today ? 'badge badge-bad' : 'badge badge-ok'}>
            {day.unresolvedTotal > 0 ? `Неразобранных «ОТ»: ${day.unresolvedTotal}` : 'Все пропуски разобраны'}
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
      {day && day.lessons.length === 0 && <p className="muted">В этот день уроков в журнале нет.</p>}
      {day && day.lessons.length > 0 && (
        <table className="table table-compact attendance-table" aria-label={`Посещаемость ${day.className} за день`}>
          <thead>
            <tr>
              <th>Ученик</th>
              {day.lessons.map((lesson) => (
                <th key={lesson.lessonId} title={lesson.teacherName}>
                  {lesson.lessonNumber ? `${lesson.lessonNumber}. ` : ''}
                  <Link to={`/journal/${lesson.loadId}`}>{lesson.subjectName}</Link>
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
                  <td>{student.fullName}</td>
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
                            <option value="ОТ">ОТ</option>
                            {reasonCodes.map((code) => (
                              <option key={code} value={code}>
                                {code} — {reasonTitles[code]}
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
                              void act(() => api.call('attendance.resolveDay', { classId, studentId: student.studentId, date, code }), `${student.fullName}: все пропуски за день — «${code}».`)
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
      )}
    </div>
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
