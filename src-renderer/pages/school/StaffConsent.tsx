import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorMessage, russianDate } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { DateInput } from '../../ui/date-input';

// D-45 for staff: whether a staff member's consent to processing their personal data is in
// force, and, for those who keep staff records, registering it or marking its withdrawal.

export function StaffConsentCell({ userId, fullName, missing, onChanged }: { userId: number; fullName: string; missing: boolean; onChanged(): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState('');
  const consents = useApiQuery('staff.consents', open ? { userId } : null);
  const action = useAction();
  const current = consents.data?.find((c) => c.withdrawnOn === null);
  const done = async () => {
    setOpen(false);
    setDate('');
    await onChanged();
  };
  return (
    <div className="staff-consent">
      {missing ? <span className="badge badge-warn">нет согласия</span> : <span className="muted">есть</span>}{' '}
      <button type="button" className="button-link" aria-expanded={open} aria-label={`Согласие: ${fullName}`} onClick={() => setOpen(!open)}>
        {open ? 'Скрыть' : 'Согласие…'}
      </button>
      {open && consents.data && (
        <div className="small">
          {consents.data.map((c) => (
            <div key={c.id}>
              от {russianDate(c.givenOn)}
              {c.withdrawnOn ? `, отозвано ${russianDate(c.withdrawnOn)}` : ''} (внёс {c.createdByName})
            </div>
          ))}
          <DateInput value={date} onChange={setDate} aria-label={current ? 'Дата отзыва согласия' : 'Дата согласия'} />{' '}
          <button
            type="button"
            className="button"
            disabled={action.busy || !/^\d{4}-\d{2}-\d{2}$/.test(date)}
            onClick={() =>
              void action.run(
                () => (current ? api.call('staff.consents.withdraw', { id: current.id, withdrawnOn: date }) : api.call('staff.consents.add', { userId, givenOn: date })),
                done,
              )
            }
          >
            {current ? 'Отметить отзыв' : 'Зарегистрировать согласие'}
          </button>
          <ErrorMessage error={action.error ?? consents.error} />
        </div>
      )}
    </div>
  );
}
