import { useState } from 'react';
import type { Account } from '../../../src-shared/contract/accounts';
import { roles, roleTitles, type Role } from '../../../src-shared/roles';
import { api } from '../../api/client';
import { generateTemporaryPassword } from '../../lib/password';
import { CheckboxGroup, Form, TextField } from '../../ui/form';

export const roleOptions = roles.map((role) => ({ value: role, label: roleTitles[role] }));

export function CreateAccountPanel({ onClose, onCreated }: { onClose(): void; onCreated(account: Account): Promise<unknown> }) {
  const [login, setLogin] = useState('');
  const [fullName, setFullName] = useState('');
  const [position, setPosition] = useState('');
  const [selectedRoles, setSelectedRoles] = useState<Role[]>(['teacher']);
  const [temporaryPassword, setTemporaryPassword] = useState(generateTemporaryPassword);
  const [created, setCreated] = useState<{ account: Account; password: string } | null>(null);

  function startAnother() {
    setLogin('');
    setFullName('');
    setPosition('');
    setSelectedRoles(['teacher']);
    setTemporaryPassword(generateTemporaryPassword());
    setCreated(null);
  }

  return (
    <aside className="split-panel" aria-label="Новая учётная запись">
      <div className="panel-header">
        <h2>Новая учётная запись</h2>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Закрыть">
          ✕
        </button>
      </div>
      {created ? (
        <div className="panel-section">
          <p className="message message-success" role="status">
            Учётная запись «{created.account.login}» ({created.account.fullName}) создана.
          </p>
          <p>
            Временный пароль: <strong className="secret" data-testid="issued-password">{created.password}</strong>
          </p>
          <p className="muted">Передайте его сотруднику лично. При первом входе журнал попросит сменить пароль.</p>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={startAnother} autoFocus>
              Создать ещё
            </button>
            <button type="button" className="button" onClick={onClose}>
              Закрыть
            </button>
          </div>
        </div>
      ) : (
        <Form
          aria-label="Новая учётная запись"
          className="panel-section"
          submitLabel="Создать"
          busyLabel="Создаю…"
          onSubmit={async () => {
            const account = await api.call('accounts.create', { login, fullName, position, roles: selectedRoles, temporaryPassword });
            setCreated({ account, password: temporaryPassword });
            await onCreated(account);
          }}
          actions={
            <button type="button" className="button" onClick={onClose}>
              Отмена
            </button>
          }
        >
          <TextField name="fullName" label="ФИО" value={fullName} onChange={setFullName} autoFocus placeholder="Иванова Мария Сергеевна" />
          <TextField name="login" label="Логин" value={login} onChange={setLogin} autoCapitalize="off" spellCheck={false} hint="Латинские буквы, цифры, точка, дефис" />
          <TextField name="position" label="Должность" value={position} onChange={setPosition} placeholder="Учитель математики" />
          <CheckboxGroup name="roles" legend="Роли" options={roleOptions} selected={selectedRoles} onChange={setSelectedRoles} />
          <TextField
            name="temporaryPassword"
            label="Временный пароль"
            value={temporaryPassword}
            onChange={setTemporaryPassword}
            className="mono"
            spellCheck={false}
            hint={
              <button type="button" className="button button-link" onClick={() => setTemporaryPassword(generateTemporaryPassword())}>
                Сгенерировать другой
              </button>
            }
          />
        </Form>
      )}
    </aside>
  );
}
