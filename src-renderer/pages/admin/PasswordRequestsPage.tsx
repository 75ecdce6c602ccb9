import { useCallback, useEffect, useState } from 'react';
import { accountsContract, type Account } from '../../../src-shared/contract/accounts';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { api, asApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { generateTemporaryPassword } from '../../lib/password';
import { formatInstant } from '../../lib/time';
import { ContractForm, FormText, useContractForm } from '../../ui/contract-form';

type ResetRequest = MethodOutput<'accounts.resetRequests'>[number];

/** The log of password-reset requests (D-43): registered with dates, closed by a temporary password. */
export function PasswordRequestsPage() {
  const { school } = useSession();
  const [includeResolved, setIncludeResolved] = useState(false);
  const [requests, setRequests] = useState<ResetRequest[] | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [answering, setAnswering] = useState<number | null>(null);

  const reload = useCallback(async () => {
    try {
      const [list, people] = await Promise.all([api.call('accounts.resetRequests', { includeResolved }), api.call('accounts.list', {})]);
      setRequests(list);
      setAccounts(people);
      setError(null);
    } catch (failure) {
      setError(asApiError(failure).message);
    }
  }, [includeResolved]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <div>
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={includeResolved} onChange={(event) => setIncludeResolved(event.target.checked)} /> Показать выполненные
        </label>
      </div>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {requests === null && !error ? (
        <p className="muted">Загрузка…</p>
      ) : requests && requests.length === 0 ? (
        <p className="muted">{includeResolved ? 'Заявок не было.' : 'Открытых заявок нет.'}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Поступила</th>
              <th>Логин</th>
              <th>Сотрудник</th>
              <th>Комментарий</th>
              <th>Выполнена</th>
            </tr>
          </thead>
          <tbody>
            {requests?.map((request) => {
              const account = accounts.find((candidate) => candidate.login === request.login);
              return (
                <tr key={request.id}>
                  <td className="nowrap">{formatInstant(request.requestedAt, school.timeZone)}</td>
                  <td className="mono">{request.login}</td>
                  <td>{request.userName ?? <span className="muted">нет такой учётной записи</span>}</td>
                  <td>{request.note}</td>
                  <td>
                    {request.resolvedAt ? (
                      <>
                        {formatInstant(request.resolvedAt, school.timeZone)}
                        {request.resolvedBy && <div className="muted small">{request.resolvedBy}</div>}
                      </>
                    ) : account ? (
                      answering === request.id ? (
                        <AnswerRequest account={account} onDone={reload} />
                      ) : (
                        <button type="button" className="button" onClick={() => setAnswering(request.id)}>
                          Выдать временный пароль
                        </button>
                      )
                    ) : (
                      <span className="muted">—</span>
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

const temporaryPasswordFields = accountsContract['accounts.issueTemporaryPassword'].input.pick({ temporaryPassword: true });

function AnswerRequest({ account, onDone }: { account: Account; onDone(): Promise<void> }) {
  const form = useContractForm(temporaryPasswordFields, { temporaryPassword: generateTemporaryPassword() });
  const [issued, setIssued] = useState<string | null>(null);
  if (issued) {
    return (
      <div className="message message-success" role="status">
        Временный пароль для {account.fullName}: <strong className="secret">{issued}</strong>. Передайте его лично.{' '}
        <button type="button" className="button button-link" onClick={() => void onDone()}>
          Готово
        </button>
      </div>
    );
  }
  return (
    <ContractForm
      form={form}
      aria-label={`Временный пароль для ${account.login}`}
      className="inline-form"
      submitLabel="Выдать"
      onSubmit={async ({ temporaryPassword }) => {
        await api.call('accounts.issueTemporaryPassword', { id: account.id, temporaryPassword });
        setIssued(temporaryPassword);
      }}
    >
      <FormText name="temporaryPassword" label="Временный пароль" className="mono" spellCheck={false} autoFocus />
    </ContractForm>
  );
}
