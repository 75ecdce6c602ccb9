import { useState } from 'react';
import type { CurrentUser } from '../../src-shared/contract/auth';
import { MIN_PASSWORD_LENGTH } from '../../src-shared/contract/common';
import { api } from '../api/client';
import { Form, localValidation, TextField } from '../ui/form';
import { AuthLayout } from './AuthLayout';

/** A temporary password must be replaced before anything else (issue 2 §4). */
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
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [again, setAgain] = useState('');
  return (
    <AuthLayout title="Смена временного пароля" schoolName={schoolName}>
      <p>
        {user.fullName}, вы вошли с временным паролем. Придумайте свой пароль: его будете знать только вы.
      </p>
      <Form
        aria-label="Смена временного пароля"
        submitLabel="Сменить пароль"
        check={() => (newPassword !== again ? localValidation('Новые пароли не совпадают.', 'newPasswordAgain') : null)}
        onSubmit={async () => {
          await api.call('auth.changePassword', { currentPassword, newPassword });
          await onChanged();
        }}
        actions={
          <button type="button" className="button" onClick={onSignOut}>
            Выйти
          </button>
        }
      >
        <TextField name="currentPassword" label="Временный пароль" type="password" value={currentPassword} onChange={setCurrentPassword} autoComplete="current-password" autoFocus />
        <TextField name="newPassword" label="Новый пароль" type="password" value={newPassword} onChange={setNewPassword} autoComplete="new-password" hint={`Не короче ${MIN_PASSWORD_LENGTH} символов`} />
        <TextField name="newPasswordAgain" label="Новый пароль ещё раз" type="password" value={again} onChange={setAgain} autoComplete="new-password" />
      </Form>
    </AuthLayout>
  );
}
