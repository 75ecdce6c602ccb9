import { useState } from 'react';
import type { CurrentUser } from '../../src-shared/contract/auth';
import type { MethodOutput } from '../../src-shared/contract/index';
import { roleTitles } from '../../src-shared/roles';
import { api } from '../api/client';
import { Form, TextAreaField, TextField } from '../ui/form';
import { AuthLayout } from './AuthLayout';
import { HeldEdits } from './HeldEdits';
import { AuditKeyMissing } from '../pages/audit/AuditKey';

export interface LoginScreenProps {
  schoolName: string | null;
  /** Why the person is here again: signed out, session ended, … */
  notice?: string | null;
  onSignedIn(user: CurrentUser): void;
  /** The demo school opened on this start: its logins are listed under the form. */
  demo?: MethodOutput<'setup.createDemo'> | null;
}

export function LoginScreen({ schoolName, notice, onSignedIn, demo }: LoginScreenProps) {
  const [mode, setMode] = useState<'login' | 'forgot'>('login');
  const [login, setLogin] = useState('');
  if (mode === 'forgot') return <ForgotPassword schoolName={schoolName} initialLogin={login} onBack={() => setMode('login')} />;
  return <LoginForm schoolName={schoolName} notice={notice} login={login} setLogin={setLogin} onSignedIn={onSignedIn} onForgot={() => setMode('forgot')} demo={demo} />;
}

/** The demo school's logins, kept at hand: a click puts the login into the form. */
function DemoLogins({ demo, onPick }: { demo: MethodOutput<'setup.createDemo'>; onPick(login: string): void }) {
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
                <button type="button" className="button-link mono" onClick={() => onPick(account.login)}>
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
  const [password, setPassword] = useState('');
  return (
    <AuthLayout title="Вход" schoolName={schoolName}>
      {notice && (
        <p className="message message-info" role="status">
          {notice}
        </p>
      )}
      <Form
        aria-label="Вход"
        submitLabel="Войти"
        busyLabel="Проверяю…"
        onSubmit={async () => {
          try {
            const { session, user } = await api.call('auth.login', { login, password });
            api.setSession(session);
            onSignedIn(user);
          } catch (error) {
            // A refused password is not kept in the field for the next try.
            setPassword('');
            throw error;
          }
        }}
        actions={
          <button type="button" className="button button-link" onClick={onForgot}>
            Забыли пароль?
          </button>
        }
      >
        <TextField name="login" label="Логин" value={login} onChange={setLogin} autoComplete="username" autoFocus autoCapitalize="off" spellCheck={false} />
        <TextField name="password" label="Пароль" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
      </Form>
      <HeldEdits />
      {demo && <DemoLogins demo={demo} onPick={setLogin} />}
      <AuditKeyMissing />
    </AuthLayout>
  );
}

function ForgotPassword({ schoolName, initialLogin, onBack }: { schoolName: string | null; initialLogin: string; onBack(): void }) {
  const [login, setLogin] = useState(initialLogin);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState(false);

  if (sent) {
    return (
      <AuthLayout title="Заявка зарегистрирована" schoolName={schoolName}>
        <p className="message message-success" role="status">
          Заявка на новый пароль для логина «{login.trim().toLowerCase()}» зарегистрирована. Администратор журнала выдаст вам временный пароль
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
      <Form
        aria-label="Восстановление пароля"
        submitLabel="Отправить заявку"
        onSubmit={async () => {
          await api.call('auth.requestPasswordReset', { login, note });
          setSent(true);
        }}
        actions={
          <button type="button" className="button" onClick={onBack}>
            Назад
          </button>
        }
      >
        <TextField name="login" label="Ваш логин" value={login} onChange={setLogin} autoFocus autoCapitalize="off" spellCheck={false} />
        <TextAreaField name="note" label="Комментарий для администратора (необязательно)" value={note} onChange={setNote} rows={2} maxLength={500} />
      </Form>
    </AuthLayout>
  );
}
