import { useMemo, useState } from 'react';
import type { FulfilmentItem } from '../../../src-shared/contract/plans';
import { planStatusTitles } from '../../../src-shared/rules/plans';
import { Link } from '../../app/router';
import { ErrorMessage, Loading, russianDate, Toolbar, useSchoolToday, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { DateFilter } from '../../ui/date-input';
import './plans.css';

// «Выполнение программы» (D-32): for every load, the plan's hours up to a date against the
// lessons given, the lag and the skipped topics; the worst lag first.

type SortKey = 'behind' | 'class' | 'subject' | 'teacher';
const sortTitles: Record<SortKey, string> = { behind: 'по отставанию', class: 'по классу', subject: 'по предмету', teacher: 'по учителю' };

function compare(key: SortKey) {
  return (a: FulfilmentItem, b: FulfilmentItem): number => {
    const byClass = a.className.localeCompare(b.className, 'ru', { numeric: true }) || a.subjectName.localeCompare(b.subjectName, 'ru');
    if (key === 'behind') return b.behind - a.behind || b.skipped.length - a.skipped.length || byClass;
    if (key === 'subject') return a.subjectName.localeCompare(b.subjectName, 'ru') || byClass;
    if (key === 'teacher') return a.teacherName.localeCompare(b.teacherName, 'ru') || byClass;
    return byClass;
  };
}

export function FulfilmentPage() {
  const choice = useYearChoice();
  const today = useSchoolToday();
  const [date, setDate] = useState(today);
  const [sort, setSort] = useState<SortKey>('behind');
  const query = useApiQuery('plans.fulfilment', choice.year && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { yearId: choice.year.id, date } : null);
  const items = useMemo(() => [...(query.data?.items ?? [])].sort(compare(sort)), [query.data, sort]);
  const lagging = items.filter((item) => item.behind > 0).length;
  return (
    <div className="school-page fulfilment-page">
      <Toolbar>
        <YearSelect choice={choice} />
        <label className="inline-choice">
          На дату <DateFilter value={date} onDate={setDate} aria-label="На дату" className="fulfilment-date" />
        </label>
        <label className="inline-choice">
          Порядок{' '}
          <select value={sort} onChange={(event) => setSort(event.target.value as SortKey)} aria-label="Порядок">
            {(Object.keys(sortTitles) as SortKey[]).map((key) => (
              <option key={key} value={key}>
                {sortTitles[key]}
              </option>
            ))}
          </select>
        </label>
      </Toolbar>
      <ErrorMessage error={choice.error ?? query.error} />
      {query.loading && !query.data && <Loading />}
      {query.data && (
        <p className="muted" role="status">
          На {russianDate(query.data.date)}: нагрузок {items.length}, с отставанием {lagging}.
        </p>
      )}
      {items.length > 0 && (
        <table className="table table-compact fulfilment-table" aria-label="Выполнение программы">
          <thead>
            <tr>
              <th className="fulfilment-class">Класс</th>
              <th className="fulfilment-subject">Предмет</th>
              <th className="fulfilment-teacher">Учитель</th>
              <th className="fulfilment-status">КТП</th>
              <th className="cell-number">По плану на дату</th>
              <th className="cell-number">Дано</th>
              <th className="cell-number">Отставание</th>
              <th className="cell-number">Всего по плану</th>
              <th>Пропущенные темы и замечания</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.loadId} className={item.behind > 0 ? 'fulfilment-behind' : undefined}>
                <td>
                  <Link to={`/plans/${item.loadId}`}>
                    {item.className}
                    {item.subgroupName ? `, ${item.subgroupName}` : ''}
                  </Link>
                </td>
                <td>{item.subjectName}</td>
                <td>{item.teacherName}</td>
                <td>{planStatusTitles[item.status]}</td>
                <td className="cell-number">{item.plannedToDate}</td>
                <td className="cell-number">{item.given}</td>
                <td className="cell-number">{item.behind > 0 ? `${item.behind} ч.` : '—'}</td>
                <td className="cell-number">{item.plannedTotal}</td>
                <td className="fulfilment-notes">
                  {item.skipped.length > 0 && (
                    <div>
                      Пропущены: {item.skipped.slice(0, 3).map((topic) => `№ ${topic.number} «${topic.topic}»`).join(', ')}
                      {item.skipped.length > 3 ? ` и ещё ${item.skipped.length - 3}` : ''}
                    </div>
                  )}
                  {item.givenTwice.length > 0 && <div>Даны дважды: {item.givenTwice.map((topic) => `№ ${topic.number}`).join(', ')}</div>}
                  {item.unplanned > 0 && <div>Уроков вне плана: {item.unplanned}</div>}
                  {item.correctionMissing && <div className="plan-warning">Нет корректировки КТП за первое полугодие</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
