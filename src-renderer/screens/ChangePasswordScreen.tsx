import { z } from 'zod';
import type { CurrentUser } from '../../src-shared/contract/auth';
import { authContract } from '../../src-shared/contract/auth';
import { MIN_PASSWORD_LENGTH } from '../../src-shared/contract/common';
import { api } from '../api/client';
import { ContractForm, FormText, useContractForm } from '../ui/contract-form';
import { AuthLayout } from './AuthLayout';

// The temporary password was typed a moment ago at sign-in: the core knows this session was
// opened with it, so it is not asked for again.
const changeFields = authContract['auth.changePassword'].input
  .pick({ newPassword: true })
  .extend({ newPasswordAgain: z.string() })
  .refine((values) => values.newPassword === values.newPasswordAgain, { message: 'Пароли не совпадают', path: ['newPasswordAgain'] });

/** A temporary password must be replaced before anything else. */
export function ChangePasswordScreen({
  user,
  schoolName,
  onChanged,
  onSignOut,
}: {
  user: CurrentUser;
  schoolName: string | null;
  onChanged(): Promise<void>;
  onSignOut(): void;
}) {
  const form = useContractForm(changeFields, { newPassword: '', newPasswordAgain: '' });
  return (
    <AuthLayout title="Смена временного пароля" schoolName={schoolName}>
      <p>
        {user.fullName}, вы вошли с временным паролем. Придумайте свой пароль: его будете знать только вы.
      </p>
      <ContractForm
        form={form}
        aria-label="Смена временного пароля"
        submitLabel="Сменить пароль"
        onSubmit={async ({ newPassword }) => {
          await api.call('auth.changePassword', { newPassword });
          await onChanged();
        }}
        actions={
          <button type="button" className="button" onClick={onSignOut}>
            Выйти
          </button>
        }
      >
        <FormText name="newPassword" label="Новый пароль" type="password" autoComplete="new-password" autoFocus hint={`Не короче ${MIN_PASSWORD_LENGTH} символов`} />
        <FormText name="newPasswordAgain" label="Новый пароль ещё раз" type="password" autoComplete="new-password" />
      </ContractForm>
    </AuthLayout>
  );
}
