import { shortPersonName, substitutionKindTitles } from '../../../src-shared/rules/substitutions';
import { Link } from '../../app/router';
import { ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';

/**
 * A teacher's home: the lessons the deputy assigned them to substitute on other days, each
 * opening its page. Today's are in «Уроки сегодня» with the rest of the day, not again here.
 */
export function MySubstitutionsWidget() {
  const mine = useApiQuery('substitutions.mine', {});
  const today = useApiQuery('timetable.today', {});
  if (mine.error) return <ErrorMessage error={mine.error} />;
  if (today.error) return <ErrorMessage error={today.error} />;
  if (!mine.data || !today.data) return <Loading />;
  const todayDate = today.data.date;
  const lessons = mine.data.filter((lesson) => lesson.date !== todayDate || lesson.kind === 'cancelled');
  if (lessons.length === 0) return null;
  return (
    <div className="today-lessons" aria-label="Мои уроки в замену">
      <h2>Мои уроки в замену</h2>
      <ol className="today-list">
        {lessons.map((lesson) => {
          const loadId = lesson.kind === 'ownSubject' && lesson.targetLoadId ? lesson.targetLoadId : lesson.loadId;
          const subject = lesson.kind === 'ownSubject' && lesson.targetSubjectName ? lesson.targetSubjectName : lesson.subjectName;
          return (
            <li key={lesson.id}>
              <Link to={`/journal/${loadId}`} className="today-lesson">
                <span className="today-number">{lesson.lessonNumber}</span>
                <span className="today-time">{russianDate(lesson.date)}</span>
                <span className="today-class">
                  {lesson.className}
                  {lesson.subgroupName ? ` (${lesson.subgroupName})` : ''}
                </span>
                <span className="today-subject">{subject}</span>
                <span className="today-room muted">
                  за {shortPersonName(lesson.absentTeacherName)}, {substitutionKindTitles[lesson.kind]}
                  {lesson.lessonId ? ' — записан' : ''}
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
