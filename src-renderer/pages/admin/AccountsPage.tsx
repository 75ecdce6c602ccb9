import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Account } from '../../../src-shared/contract/accounts';
import { roleTitles } from '../../../src-shared/roles';
import { api, asApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { accountStates } from './account-state';
import { AccountPanel } from './AccountPanel';
import { CreateAccountPanel } from './CreateAccountPanel';

type Selection = { mode: 'create' } | { mode: 'edit'; id: number } | null;

/** Staff accounts: the list on the left, the chosen account (or a new one) on the right. */
export function AccountsPage() {
  const { school } = useSession();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [selection, setSelection] = useState<Selection>(null);

  const reload = useCallback(async () => {
    try {
      setAccounts(await api.call('accounts.list', {}));
      setLoadError(null);
    } catch (error) {
      setLoadError(asApiError(error).message);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const list = [...(accounts ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru'));
    return needle ? list.filter((account) => account.fullName.toLowerCase().includes(needle) || account.login.includes(needle)) : list;
  }, [accounts, search]);

  const selected = selection?.mode === 'edit' ? accounts?.find((account) => account.id === selection.id) : undefined;

  return (
    <div className="split">
      <section className="split-main" aria-label="Список учётных записей">
        <div className="toolbar">
          <input
            type="search"
            className="toolbar-search"
            placeholder="Поиск по ФИО или логину"
            aria-label="Поиск по ФИО или логину"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="button" className="button button-primary" onClick={() => setSelection({ mode: 'create' })}>
            Новая учётная запись
          </button>
        </div>
        {loadError && (
          <p className="message message-error" role="alert">
            {loadError}
          </p>
        )}
        {accounts === null && !loadError ? (
          <p className="muted">Загрузка…</p>
        ) : (
          <table className="table table-selectable">
            <thead>
              <tr>
                <th>ФИО</th>
                <th>Логин</th>
                <th>Роли</th>
                <th>Состояние</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((account) => (
                <tr
                  key={account.id}
                  aria-selected={selected?.id === account.id}
                  onClick={() => setSelection({ mode: 'edit', id: account.id })}
                >
                  <td>
                    {/* A real button: the row is reachable and opened with the keyboard. */}
                    <button type="button" className="row-link" onClick={() => setSelection({ mode: 'edit', id: account.id })}>
                      {account.fullName}
                    </button>
                  </td>
                  <td className="mono">{account.login}</td>
                  <td>{account.roles.map((role) => roleTitles[role]).join(', ')}</td>
                  <td>
                    {accountStates(account, school.timeZone).map((state) => (
                      <span key={state.label} className={`badge badge-${state.tone}`}>
                        {state.label}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    Никого не найдено.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </section>
      {selection?.mode === 'create' && (
        <CreateAccountPanel
          onClose={() => setSelection(null)}
          onCreated={async (account) => {
            await reload();
            return account;
          }}
        />
      )}
      {selected && <AccountPanel key={selected.id} account={selected} onChanged={reload} onClose={() => setSelection(null)} />}
    </div>
  );
}
