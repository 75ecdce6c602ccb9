import type { ControlSummary } from '../../../src-shared/contract/reports';
import { FulfilmentSummary } from '../plans/FulfilmentSummary';
import { ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { reportLink } from './filters';
import './reports.css';

// The deputy's (and the director's) home page (D-32): where the school's journal is behind
// in the period so far. Every figure is a link to the report behind it, down to the lessons.

type SummaryEntry = ControlSummary['measures'][number]['worstTeachers'][number];

/** The teachers (or classes) with the most on a measure, each a link to its report. */
function WorstList({ entries }: { entries: SummaryEntry[] }) {
  return (
    <ul>
      {entries.map((e) => (
        <li key={e.label}>
          <a href={reportLink(e.drill)}>
            {e.label} — {e.value}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function ControlSummaryWidget() {
  const summary = useApiQuery('reports.controlSummary', {});
  if (summary.error) return <ErrorMessage error={summary.error} />;
  if (!summary.data) return <Loading />;
  const data = summary.data;
  if (data.yearId === null) return null;
  return (
    <div className="control-summary" aria-label="Контроль ведения журнала">
      <h2>
        Контроль ведения журнала · {russianDate(data.from)} – {russianDate(data.to)}
      </h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Показатель</th>
            <th scope="col">По школе</th>
            <th scope="col">Больше всего у учителей</th>
            <th scope="col">В классах</th>
          </tr>
        </thead>
        <tbody>
          {data.measures.map((m) => (
            <tr key={m.key} data-measure={m.key}>
              <th scope="row">{m.title}</th>
              <td className="number">
                <a href={reportLink(m.drill)}>{m.total}</a>
              </td>
              <td>
                <WorstList entries={m.worstTeachers} />
              </td>
              <td>
                <WorstList entries={m.worstClasses} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.fulfilment && <FulfilmentSummary digest={data.fulfilment} />}
      {data.awaitingPrint.length > 0 ? (
        <div>
          <h3>Не распечатаны журналы за закончившиеся периоды</h3>
          <ul>
            {data.awaitingPrint.map((p) => (
              <li key={p.periodName}>
                <a href="#/print">
                  {p.periodName} (до {russianDate(p.endsOn)}): {p.classesNotPrinted.join(', ')}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">Журналы за закончившиеся периоды распечатаны.</p>
      )}
      <p>
        {data.lastBackup
          ? `Последняя резервная копия: ${russianDate(data.lastBackup.at.slice(0, 10))}${data.lastBackup.ageDays > 0 ? ` (${data.lastBackup.ageDays} дн. назад)` : ''}.`
          : 'Резервных копий ещё не было.'}
      </p>
    </div>
  );
}
