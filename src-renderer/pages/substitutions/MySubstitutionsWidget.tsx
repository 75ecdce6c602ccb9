import { shortPersonName, substitutionKindTitles } from '../../../src-shared/rules/substitutions';
import { Link } from '../../app/router';
import { ErrorMessage, Loading, russianDate } from '../../school/common';
import { useApiQuery } from '../../school/use-api';

/** A teacher's home: the lessons the deputy assigned them to substitute, each opening its page. */
export function MySubstitutionsWidget() {
  const mine = useApiQuery('substitutions.mine', {});
  if (mine.error) return <ErrorMessage error={mine.error} />;
  if (!mine.data) return <Loading />;
  if (mine.data.length === 0) return null;
  return (
    <div className="today-lessons" aria-label="Мои уроки в замену">
      <h2>Мои уроки в замену</h2>
      <ol className="today-list">
        {mine.data.map((lesson) => {
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
