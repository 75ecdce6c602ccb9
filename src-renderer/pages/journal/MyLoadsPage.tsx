import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { api, asApiError } from '../../api/client';
import { Link } from '../../app/router';

// /journal — the subject pages this person may open: own subjects first, then the class
// they lead, then (for the administration) everything, grouped by class.

type Load = MethodOutput<'journal.myLoads'>[number];

const accessOrder: Record<Load['access'], number> = { own: 0, substitute: 1, classTeacher: 2, read: 3 };
const accessNote: Record<Load['access'], string> = { own: '', substitute: 'замена', classTeacher: 'мой класс, просмотр', read: 'просмотр' };

export function MyLoadsPage() {
  const [loads, setLoads] = useState<Load[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    api.call('journal.myLoads', {}).then(setLoads, (thrown) => setError(asApiError(thrown).message));
  }, []);
  if (error) return <p className="message message-error">{error}</p>;
  if (!loads) return <p className="muted">Загружаю…</p>;
  if (loads.length === 0) return <p className="muted">Страниц журнала пока нет: администратор ещё не назначил нагрузку.</p>;
  const needle = filter.trim().toLowerCase();
  const shown = loads
    .filter((load) => !needle || `${load.className} ${load.subjectName} ${load.teacherName}`.toLowerCase().includes(needle))
    .sort((a, b) => accessOrder[a.access] - accessOrder[b.access] || a.grade - b.grade || a.className.localeCompare(b.className, 'ru') || a.subjectName.localeCompare(b.subjectName, 'ru'));
  return (
    <div>
      {loads.length > 12 && (
        <div className="toolbar">
          <input className="toolbar-search" type="search" aria-label="Найти класс или предмет" placeholder="Класс, предмет или учитель" value={filter} onChange={(event) => setFilter(event.target.value)} />
        </div>
      )}
      <table className="table table-compact">
        <thead>
          <tr>
            <th>Класс</th>
            <th>Предмет</th>
            <th>Учитель</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((load) => (
            <tr key={load.loadId}>
              <td>{load.className}</td>
              <td>
                <Link to={`/journal/${load.loadId}`}>
                  {load.subjectName}
                  {load.subgroupName ? ` (${load.subgroupName})` : ''}
                </Link>
              </td>
              <td>{load.teacherName}</td>
              <td className="muted small">{accessNote[load.access]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Home widget «Мои уроки»: the teacher's own pages, one click to the journal. */
export function MyLessonsWidget() {
  const [loads, setLoads] = useState<Load[] | null>(null);
  useEffect(() => {
    api.call('journal.myLoads', {}).then(setLoads, () => setLoads([]));
  }, []);
  if (!loads) return <p className="muted">Мои уроки: загружаю…</p>;
  const mine = loads.filter((load) => load.access === 'own' || load.access === 'substitute' || load.access === 'classTeacher');
  return (
    <div>
      <h2>Мои уроки</h2>
      {mine.length === 0 ? (
        <p className="muted small">
          Своих предметов нет. <Link to="/journal">Все страницы журнала</Link>
        </p>
      ) : (
        <table className="table table-compact my-lessons" aria-label="Мои уроки">
          <thead>
            <tr>
              <th>Класс</th>
              <th>Предмет</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {mine.slice(0, 40).map((load) => (
              <tr key={load.loadId}>
                <td>{load.className}</td>
                <td>
                  <Link to={`/journal/${load.loadId}`} aria-label={`${load.className} — ${load.subjectName}${load.subgroupName ? ` (${load.subgroupName})` : ''}`}>
                    {load.subjectName}
                    {load.subgroupName ? ` (${load.subgroupName})` : ''}
                  </Link>
                </td>
                <td className="muted small">{accessNote[load.access]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
