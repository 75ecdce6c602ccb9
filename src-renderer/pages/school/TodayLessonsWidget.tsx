import { Link } from '../../app/router';
import { ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';

/**
 * A teacher's home: today's lessons from the timetable, hers and those she covers by the
 * register, each opening its journal page with that lesson ready to write (or the written one).
 */
export function TodayLessonsWidget() {
  const today = useApiQuery('timetable.today', {});
  return (
    <div className="today-lessons" aria-label="Уроки сегодня">
      <h2>Уроки сегодня{today.data ? `, ${russianDate(today.data.date)}` : ''}</h2>
      <ErrorMessage error={today.error} />
      {!today.data ? (
        !today.error && <Loading />
      ) : today.data.holiday ? (
        <p className="muted">Сегодня {today.data.holiday.toLowerCase()}: уроков нет.</p>
      ) : today.data.lessons.length === 0 ? (
        <p className="muted">По расписанию сегодня у вас уроков нет.</p>
      ) : (
        <ol className="today-list today-list-day">
          {today.data.lessons.map((lesson) => (
            <li key={`${lesson.lessonNumber}-${lesson.loadId}`}>
              <Link
                to={`/journal/${lesson.loadId}?date=${today.data!.date}&lesson=${lesson.lessonNumber}`}
                className="today-lesson"
                aria-label={`${lesson.lessonNumber}-й урок, ${lesson.className}, ${lesson.subjectName}${lesson.lessonId ? ', записан' : ''}`}
              >
                <span className="today-number">{lesson.lessonNumber}</span>
                <span className="today-time">{lesson.startsAt ? `${lesson.startsAt}–${lesson.endsAt}` : ''}</span>
                <span className="today-class">
                  {lesson.className}
                  {lesson.subgroupName ? ` (${lesson.subgroupName})` : ''}
                </span>
                <span className="today-subject">
                  {lesson.subjectName}
                  {lesson.substituteFor && <span className="today-note muted">замена за {lesson.substituteFor}</span>}
                  {lesson.transferredFrom && <span className="today-note muted">{lesson.transferredFrom}</span>}
                </span>
                <span className="today-room muted">{lesson.room ? `каб. ${lesson.room}` : ''}</span>
                <span className={lesson.lessonId ? 'badge badge-ok' : 'badge'}>{lesson.lessonId ? 'записан' : 'не записан'}</span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
