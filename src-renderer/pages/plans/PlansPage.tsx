import { useMemo, useState } from 'react';
import { planStatusTitles } from '../../../src-shared/rules/plans';
import { useCan } from '../../app/session';
import { Link } from '../../app/router';
import { ErrorMessage, Loading, plural, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import './plans.css';

// «КТП»: a teacher's loads with the state of each plan; the deputy sees every load and
// starts on the plans waiting for review.

type StatusFilter = 'all' | 'none' | 'draft' | 'review' | 'approved';

export function PlansPage() {
  const can = useCan();
  const reviewer = can('journal.approve');
  const choice = useYearChoice();
  const loads = useApiQuery('plans.loads', choice.year ? { yearId: choice.year.id } : null);
  const [filter, setFilter] = useState<StatusFilter>(reviewer ? 'review' : 'all');
  const shown = useMemo(() => (loads.data ?? []).filter((load) => filter === 'all' || load.status === filter), [loads.data, filter]);
  return (
    <div className="school-page plans-page">
      <Toolbar>
        <YearSelect choice={choice} />
        <label className="inline-choice">
          Показать{' '}
          <select value={filter} onChange={(event) => setFilter(event.target.value as StatusFilter)} aria-label="Состояние КТП">
            <option value="all">все</option>
            <option value="review">на проверке</option>
            <option value="draft">черновики</option>
            <option value="approved">утверждённые</option>
            <option value="none">без плана</option>
          </select>
        </label>
      </Toolbar>
      <ErrorMessage error={choice.error ?? loads.error} />
      {loads.loading && !loads.data && <Loading />}
      {loads.data && shown.length === 0 && <p className="muted">{loads.data.length === 0 ? 'Нагрузок в этом году нет.' : 'Таких КТП нет.'}</p>}
      {shown.length > 0 && (
        <table className="table plans-list" aria-label="КТП по нагрузкам">
          <thead>
            <tr>
              <th>Класс</th>
              <th>Предмет</th>
              {reviewer && <th>Учитель</th>}
              <th>Состояние</th>
              <th className="cell-number">Уроков</th>
              <th className="cell-number">Часов в плане</th>
              <th className="cell-number">По учебному плану</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((load) => {
              const difference = load.plannedHours - load.curriculumHours;
              return (
                <tr key={load.loadId}>
                  <td>
                    <Link to={`/plans/${load.loadId}`}>
                      {load.className}
                      {load.subgroupName ? `, ${load.subgroupName}` : ''}
                    </Link>
                  </td>
                  <td>
                    <Link to={`/plans/${load.loadId}`}>{load.subjectName}</Link>
                  </td>
                  {reviewer && <td>{load.teacherName}</td>}
                  <td>
                    <span className={`plan-status plan-status-${load.status}`}>{planStatusTitles[load.status]}</span>
                  </td>
                  <td className="cell-number">{load.rows}</td>
                  <td className="cell-number">{load.plannedHours}</td>
                  <td className="cell-number">
                    {load.curriculumHours}
                    {load.rows > 0 && difference !== 0 && (
                      <span className="plan-difference">
                        {' '}
                        ({difference > 0 ? '+' : '−'}
                        {Math.abs(difference)} {plural(Math.abs(difference), 'час', 'часа', 'часов')})
                      </span>
                    )}
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
