import type { FulfilmentDigest } from '../../../src-shared/contract/plans';
import { Link } from '../../app/router';
import { useCan } from '../../app/session';
import { russianDate } from '../../ui/common';

// The programme fulfilment (D-32) as a block of the deputy's control summary: how many loads
// are behind their КТП by the summary's last day, the furthest behind, and a way to the full list.

export function FulfilmentSummary({ digest }: { digest: FulfilmentDigest }) {
  const can = useCan();
  // The full list is a page of the deputy's; the director reads the figures here.
  const toList = (text: string) => (can('journal.approve') ? <Link to="/fulfilment">{text}</Link> : <>{text}</>);
  return (
    <div className="fulfilment-summary" aria-label="Выполнение программы">
      <h3>Выполнение программы на {russianDate(digest.date)}</h3>
      {digest.loads === 0 ? (
        <p className="muted">В учебном году нет нагрузок.</p>
      ) : (
        <>
          <ul>
            <li data-figure="behind">
              {toList(`Отстают от КТП: ${digest.loadsBehind} из ${digest.loads} нагрузок`)}
              {digest.loadsBehind > 0 && `, всего ${digest.hoursBehind} ч.`}
            </li>
            {digest.skippedTopics > 0 && <li data-figure="skipped">Пропущенных тем: {digest.skippedTopics}</li>}
            {digest.withoutPlan > 0 && <li data-figure="without-plan">Нагрузок без КТП: {digest.withoutPlan}</li>}
            {digest.correctionsMissing > 0 && <li data-figure="corrections">Не скорректированы по итогам полугодия: {digest.correctionsMissing}</li>}
          </ul>
          {digest.worst.length > 0 && (
            <>
              <p>Больше всего отставание:</p>
              <ul>
                {digest.worst.map((w) => (
                  <li key={w.loadId}>
                    <Link to={`/plans/${w.loadId}`}>{w.label}</Link> — {w.behind} ч.
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
