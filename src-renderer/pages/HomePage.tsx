import { hasPermission, roleTitles } from '../../src-shared/roles';
import { homeWidgets } from '../app/home-widgets';
import { useMenu } from '../app/menu';
import { useSession } from '../app/session';
import { formatLongDate } from '../lib/time';

export function HomePage() {
  const { user, school } = useSession();
  const sections = useMenu().filter((item) => item.path !== '/');
  // «Смирнова Ольга Петровна» → «Ольга Петровна»: how a colleague is addressed at school.
  const [, ...givenNames] = user.fullName.split(/\s+/);
  const greetingName = givenNames.length > 0 ? givenNames.join(' ') : user.fullName;

  return (
    <div className="home">
      <p className="home-greeting">
        Здравствуйте, {greetingName}! Сегодня {formatLongDate(new Date(), school.timeZone)}
      </p>
      <dl className="facts">
        <dt>Роли</dt>
        <dd>{user.roles.map((role) => roleTitles[role]).join(', ')}</dd>
        {user.position && (
          <>
            <dt>Должность</dt>
            <dd>{user.position}</dd>
          </>
        )}
        {user.classTeacherOf.length > 0 && (
          <>
            <dt>Классный руководитель</dt>
            <dd>{user.classTeacherOf.map((schoolClass) => schoolClass.name).join(', ')}</dd>
          </>
        )}
      </dl>
      {homeWidgets
        .filter((widget) => hasPermission(user.roles, widget.permission))
        .map((widget) => (
          <section key={widget.id} className="home-widget">
            <widget.component />
          </section>
        ))}
      {sections.length > 0 ? (
        <ul className="home-sections">
          {sections.map((route) => (
            <li key={route.path}>
              <a href={`#${route.path}`}>{route.title}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Разделы журнала появятся здесь, когда администратор настроит учебный год и вашу нагрузку.</p>
      )}
    </div>
  );
}
