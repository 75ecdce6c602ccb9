import { useState } from 'react';
import { authContract, type CurrentUser } from '../../src-shared/contract/auth';
import type { MethodOutput } from '../../src-shared/contract/index';
import { roleTitles } from '../../src-shared/roles';
import { api } from '../api/client';
import { ContractForm, FormText, FormTextArea, useContractForm } from '../ui/contract-form';
import { AuthLayout } from './AuthLayout';
import { HeldEdits } from './HeldEdits';
import { AuditKeyMissing } from '../pages/audit/AuditKey';

export interface LoginScreenProps {
  schoolName: string | null;
  /** Why the person is here again: signed out, session ended, … */
  notice?: string | null;
  onSignedIn(user: CurrentUser): void;
  /** A demo school: its sample logins are listed beside the form. */
  demo?: MethodOutput<'setup.status'>['demo'];
}

const loginFields = authContract['auth.login'].input;
const resetFields = authContract['auth.requestPasswordReset'].input;

export function LoginScreen({ schoolName, notice, onSignedIn, demo }: LoginScreenProps) {
  const [mode, setMode] = useState<'login' | 'forgot'>('login');
  const [login, setLogin] = useState('');
  if (mode === 'forgot') return <ForgotPassword schoolName={schoolName} initialLogin={login} onBack={() => setMode('login')} />;
  return <LoginForm schoolName={schoolName} notice={notice} login={login} setLogin={setLogin} onSignedIn={onSignedIn} onForgot={() => setMode('forgot')} demo={demo} />;
}

/** The demo school's logins, kept at hand: a click puts the login into the form. */
function DemoLogins({ demo, onPick }: { demo: NonNullable<MethodOutput<'setup.status'>['demo']>; onPick(login: string): void }) {
  return (
    <section className="demo-logins" aria-label="Логины демо-школы">
      <h2>Логины демо-школы</h2>
      <p className="small">
        Пароль у всех один: <strong className="secret">{demo.password}</strong>
      </p>
      <table className="table table-compact">
        <tbody>
          {demo.accounts.map((account) => (
            <tr key={account.login}>
              <td>
                {/* No blur on press: the login field's «Введите логин» would push this list down under the pointer. */}
                <button type="button" className="button-link mono" onMouseDown={(event) => event.preventDefault()} onClick={() => onPick(account.login)}>
                  {account.login}
                </button>
              </td>
              <td>{account.fullName}</td>
              <td className="muted small">{account.roles.map((role) => roleTitles[role]).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LoginForm({
  schoolName,
  notice,
  login,
  setLogin,
  onSignedIn,
  onForgot,
  demo,
}: LoginScreenProps & { login: string; setLogin(value: string): void; onForgot(): void }) {
  const form = useContractForm(loginFields, { login, password: '' });
  return (
    <AuthLayout title="Вход" schoolName={schoolName}>
      {notice && (
        <p className="message message-info" role="status">
          {notice}
        </p>
      )}
      <ContractForm
        form={form}
        aria-label="Вход"
        submitLabel="Войти"
        busyLabel="Проверяю…"
        onSubmit={async (values) => {
          try {
            const { session, user } = await api.call('auth.login', values);
            api.setSession(session);
            onSignedIn(user);
          } catch (error) {
            // A refused password is not kept in the field for the next try.
            form.setValue('password', '');
            throw error;
          }
        }}
        actions={
          <button
            type="button"
            className="button button-link"
            onClick={() => {
              setLogin(form.getValues('login'));
              onForgot();
            }}
          >
            Забыли пароль?
          </button>
        }
      >
        <FormText name="login" label="Логин" autoComplete="username" autoFocus autoCapitalize="off" spellCheck={false} />
        <FormText name="password" label="Пароль" type="password" autoComplete="current-password" />
      </ContractForm>
      <HeldEdits />
      {demo && (
        <DemoLogins
          demo={demo}
          onPick={(picked) => {
            // The picked login is valid: checking it at once clears a «Введите логин» left by the click's blur.
            form.setValue('login', picked, { shouldValidate: true, shouldDirty: true });
            form.setFocus('password');
          }}
        />
      )}
      <AuditKeyMissing />
    </AuthLayout>
  );
}

function ForgotPassword({ schoolName, initialLogin, onBack }: { schoolName: string | null; initialLogin: string; onBack(): void }) {
  const form = useContractForm(resetFields, { login: initialLogin, note: '' });
  const [sent, setSent] = useState<string | null>(null);

  if (sent !== null) {
    return (
      <AuthLayout title="Заявка зарегистрирована" schoolName={schoolName}>
        <p className="message message-success" role="status">
          Заявка на новый пароль для логина «{sent}» зарегистрирована. Администратор журнала выдаст вам временный пароль
          (не позднее чем через 3 дня); при первом входе его нужно будет сменить.
        </p>
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onBack} autoFocus>
            Вернуться ко входу
          </button>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Восстановление пароля" schoolName={schoolName}>
      <p>Пароль не присылается по почте: заявку получит администратор журнала и выдаст временный пароль лично.</p>
      <ContractForm
        form={form}
        aria-label="Восстановление пароля"
        submitLabel="Отправить заявку"
        onSubmit={async (values) => {
          await api.call('auth.requestPasswordReset', values);
          setSent(values.login);
        }}
        actions={
          <button type="button" className="button" onClick={onBack}>
            Назад
          </button>
        }
      >
        <FormText name="login" label="Ваш логин" autoFocus autoCapitalize="off" spellCheck={false} />
        <FormTextArea name="note" label="Комментарий для администратора (необязательно)" rows={2} maxLength={500} />
      </ContractForm>
    </AuthLayout>
  );
}
