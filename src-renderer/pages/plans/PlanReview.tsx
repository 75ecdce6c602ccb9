import { useState } from 'react';
import type { PlanView } from '../../../src-shared/contract/plans';
import { api } from '../../api/client';
import { ErrorMessage } from '../../ui/common';
import { useAction } from '../../api/use-api';

// The deputy's decision on a plan sent for review (D-2): approve, or return it with a comment.

export function PlanReview({ plan, onDone }: { plan: PlanView; onDone(): void }) {
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const deciding = useAction();
  if (plan.status !== 'review' || plan.version === null) return null;
  const version = plan.version;
  return (
    <section className="card plan-review" aria-label="Решение по КТП">
      <h3>Решение по КТП</h3>
      <label className="plan-note">
        <span className="field-label">Замечания (для возврата обязательны)</span>
        <textarea value={comment} rows={3} maxLength={1000} onChange={(event) => setComment(event.target.value)} />
      </label>
      <ErrorMessage error={problem ?? deciding.error} />
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={deciding.busy} onClick={() => void deciding.run(() => api.call('plans.approve', { loadId: plan.loadId, version, comment }), async () => onDone())}>
          Утвердить
        </button>
        <button
          type="button"
          className="button"
          disabled={deciding.busy}
          onClick={() => {
            if (!comment.trim()) {
              setProblem('Напишите, что исправить: без замечаний КТП не вернуть.');
              return;
            }
            setProblem(null);
            void deciding.run(() => api.call('plans.return', { loadId: plan.loadId, version, comment }), async () => onDone());
          }}
        >
          Вернуть с замечаниями
        </button>
      </div>
    </section>
  );
}
