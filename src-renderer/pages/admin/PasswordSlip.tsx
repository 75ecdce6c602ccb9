import { useSession } from '../../app/session';
import './password-slip.css';

/**
 * A slip to hand a new or forgotten password over in person: the login and the temporary
 * password in a large, unambiguous type, and what to do with it. «Напечатать памятку» prints
 * the slip alone.
 */
export function PasswordSlip({ fullName, login, password }: { fullName: string; login: string; password: string }) {
  const { school } = useSession();
  return (
    <div className="password-slip-wrap">
      <section className="password-slip" aria-label="Памятка для входа">
        <div className="password-slip-school">{school.name}</div>
        <h3>Вход в электронный журнал</h3>
        <div className="password-slip-person">{fullName}</div>
        <dl>
          <dt>Логин</dt>
          <dd className="mono">{login}</dd>
          <dt>Временный пароль</dt>
          <dd className="mono secret" data-testid="issued-password">
            {password}
          </dd>
        </dl>
        <p>При первом входе журнал попросит придумать свой пароль. Эту памятку после входа уничтожьте.</p>
      </section>
      <button
        type="button"
        className="button"
        onClick={() => {
          document.body.classList.add('printing-slip');
          try {
            window.print();
          } finally {
            document.body.classList.remove('printing-slip');
          }
        }}
      >
        Напечатать памятку
      </button>
    </div>
  );
}
