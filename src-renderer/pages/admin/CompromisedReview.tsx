import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../../src-shared/contract/accounts';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { journalContract, type CompromisedChange } from '../../../src-shared/contract/journal';
import { api, asApiError } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { auditActionTitles, auditEntityTitles, describeAuditChange } from '../../lib/audit-labels';
import { formatInstant } from '../../lib/time';
import { ContractForm, FormTextArea, useContractForm } from '../../ui/contract-form';

// D-44 in the account's panel: once an account is reported compromised, everything it did
// since the reported moment is listed (where, was → became) and the journal changes are
// reverted in one step with a reason. Afterwards each line says whether it was undone or
// left as it is (someone changed the record later) — read back from the core, so the list
// tells the same after a restart.

type Review = MethodOutput<'journal.compromisedChanges'>;

const revertFields = journalContract['journal.revertCompromised'].input.pick({ reason: true });

const outcomes: Record<CompromisedChange['outcome'], { label: string; tone: 'ok' | 'warn' | 'bad' }> = {
  reverted: { label: 'отменено', tone: 'ok' },
  skipped: { label: 'не отменено', tone: 'warn' },
  pending: { label: 'ждёт отмены', tone: 'bad' },
  manual: { label: 'проверить вручную', tone: 'warn' },
};

export function CompromisedReview({ account }: { account: Account }) {
  const { school } = useSession();
  const can = useCan();
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<string | null>(null);
  const revertForm = useContractForm(revertFields, { reason: '' });
  const [done, setDone] = useState<{ reverted: number; skipped: number } | null>(null);

  const load = useCallback(async () => {
    try {
      setReview(await api.call('journal.compromisedChanges', { userId: account.id }));
      setError(null);
    } catch (failure) {
      setError(asApiError(failure).message);
    }
  }, [account.id]);

  useEffect(() => {
    void load();
  }, [load, account.version]);

  const pending = review?.changes.filter((change) => change.outcome === 'pending').length ?? 0;

  return (
    <section className="panel-section" aria-label="Компрометация">
      <h3>Компрометация</h3>
      <p className="message message-warn">
        Учётная запись скомпрометирована с {formatInstant(account.compromisedAt, school.timeZone)} и заблокирована. Изменения, сделанные ею с этого
        момента, недействительны.
      </p>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {review === null && !error && <p className="muted">Загрузка изменений…</p>}
      {done && (
        <p className="message message-success" role="status">
          Отменено изменений: {done.reverted}.{done.skipped > 0 ? ` Оставлено как есть: ${done.skipped} — причины в списке.` : ''}
        </p>
      )}
      {review && review.changes.length === 0 && <p>После этого момента изменений не было.</p>}
      {review && review.changes.length > 0 && (
        <>
          <p>
            Изменения после сообщения: {review.changes.length}
            {pending > 0 ? `, ждут отмены: ${pending}` : ''}
          </p>
          <table className="table table-compact audit-table" aria-label="Изменения скомпрометированной учётной записи">
            <thead>
              <tr>
                <th>Когда</th>
                <th>Что и где</th>
                <th>Было → стало</th>
                <th>Отмена</th>
              </tr>
            </thead>
            <tbody>
              {review.changes.map((change) => (
                <tr key={change.auditId} aria-label={`${change.title ?? auditActionTitles[change.action] ?? change.action}: ${change.place}`}>
                  <td className="nowrap">{formatInstant(change.at, school.timeZone)}</td>
                  <td>
                    {change.title ?? auditActionTitles[change.action] ?? change.action}
                    <div className="muted small">{change.place || (auditEntityTitles[change.entity] ?? change.entity)}</div>
                  </td>
                  <td>
                    {change.raw
                      ? describeAuditChange(change.raw.before, change.raw.after).map((item) => (
                          <div key={item.field} className="audit-change">
                            <span className="muted">{item.field}:</span> {[item.before, item.after].filter((value) => value !== undefined).join(' → ')}
                          </div>
                        ))
                      : change.before !== null || change.after !== null
                        ? `${change.before ?? 'пусто'} → ${change.after ?? 'пусто'}`
                        : ''}
                  </td>
                  <td>
                    <span className={`badge badge-${outcomes[change.outcome].tone}`}>{outcomes[change.outcome].label}</span>
                    {change.why && <div className="muted small">{change.why}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {pending > 0 && can('journal.admin') && (
        <ContractForm
          form={revertForm}
          aria-label="Отменить изменения"
          submitLabel={`Отменить изменения журнала (${pending})`}
          busyLabel="Отменяю…"
          onSubmit={async ({ reason }) => {
            const result = await api.call('journal.revertCompromised', { userId: account.id, reason });
            setDone({ reverted: result.reverted, skipped: result.skipped.length });
            revertForm.reset({ reason: '' });
            await load();
          }}
        >
          <p className="muted small">
            Каждая запись вернётся к значению до изменения; запись, которую после этого менял другой пользователь, останется как есть. Отмена
            попадёт в историю ячеек с указанной причиной.
          </p>
          <FormTextArea
            name="reason"
            label="Причина отмены"
            rows={2}
            maxLength={1000}
            placeholder="Например: служебная записка № 12 от 15.10.2026"
          />
        </ContractForm>
      )}
      {review?.reverts.map((run) => (
        <p key={run.at} className="muted small">
          Отмена {formatInstant(run.at, school.timeZone)}
          {run.byName ? ` (${run.byName})` : ''}: отменено {run.reverted}, оставлено {run.skipped}. Причина: {run.reason}
        </p>
      ))}
    </section>
  );
}
