import { useState } from 'react';
import { accountsContract, type Account } from '../../../src-shared/contract/accounts';
import { roles, roleTitles, type Role } from '../../../src-shared/roles';
import { api } from '../../api/client';
import { generateTemporaryPassword } from '../../lib/password';
import { ContractForm, FormCheckboxGroup, FormText, useContractForm } from '../../ui/contract-form';
import { SplitPanel } from '../../ui/common';
import { PasswordSlip } from './PasswordSlip';

export const roleOptions = roles.map((role) => ({ value: role, label: roleTitles[role] }));

const createFields = accountsContract['accounts.create'].input;

export function CreateAccountPanel({ onClose, onCreated }: { onClose(): void; onCreated(account: Account): Promise<unknown> }) {
  const blank = () => ({ login: '', fullName: '', position: '', roles: ['teacher' as Role], temporaryPassword: generateTemporaryPassword() });
  const form = useContractForm(createFields, blank());
  const [created, setCreated] = useState<{ account: Account; password: string } | null>(null);

  function startAnother() {
    form.reset(blank());
    setCreated(null);
  }

  return (
    <SplitPanel label="Новая учётная запись" heading="Новая учётная запись" onClose={onClose}>
      {created ? (
        <div className="panel-section">
          <p className="message message-success" role="status">
            Учётная запись «{created.account.login}» ({created.account.fullName}) создана.
          </p>
          <PasswordSlip fullName={created.account.fullName} login={created.account.login} password={created.password} />
          <p className="muted">Передайте памятку сотруднику лично.</p>
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
        <ContractForm
          form={form}
          aria-label="Новая учётная запись"
          className="panel-section"
          submitLabel="Создать"
          busyLabel="Создаю…"
          onSubmit={async (values) => {
            const account = await api.call('accounts.create', values);
            setCreated({ account, password: values.temporaryPassword });
            await onCreated(account);
          }}
          actions={
            <button type="button" className="button" onClick={onClose}>
              Отмена
            </button>
          }
        >
          <FormText name="fullName" label="ФИО" autoFocus placeholder="Иванова Мария Сергеевна" />
          <FormText name="login" label="Логин" autoCapitalize="off" spellCheck={false} hint="Латинские буквы, цифры, точка, дефис" />
          <FormText name="position" label="Должность" placeholder="Учитель математики" />
          <FormCheckboxGroup name="roles" legend="Роли" options={roleOptions} />
          <TemporaryPasswordField regenerate={() => form.setValue('temporaryPassword', generateTemporaryPassword(), { shouldValidate: true })} />
        </ContractForm>
      )}
    </SplitPanel>
  );
}

/** The temporary password of a new or reset account, with «Сгенерировать другой». */
export function TemporaryPasswordField({ regenerate }: { regenerate(): void }) {
  return (
    <FormText
      name="temporaryPassword"
      label="Временный пароль"
      className="mono"
      spellCheck={false}
      hint={
        <button type="button" className="button button-link" onClick={regenerate}>
          Сгенерировать другой
        </button>
      }
    />
  );
}
