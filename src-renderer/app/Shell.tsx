import { useEffect, useMemo, useRef, useState } from 'react';
import { hasPermission, roleTitles } from '../../src-shared/roles';
import { outbox, useOutbox } from '../outbox/index';
import { matchPath, RouteParams, usePath } from './router';
import { menuGroups, MenuContext, visibleMenu } from './menu';
import { routes, type AppRoute } from './routes';
import { useSession } from './session';
import { CloseOnEscape } from '../ui/dialog';

function findRoute(path: string): { route: AppRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** Header, the menu from the route registry, and the current page. */
export function Shell() {
  const { user, school, signOut } = useSession();
  const path = usePath();
  const visible = useMemo(() => visibleMenu(user, routes), [user]);
  const heading = useRef<HTMLHeadingElement>(null);
  // A new page: the focus goes to its heading, where a screen reader starts reading.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [path]);
  const found = findRoute(path);
  // A page reached by a link only (one journal page, one plan) lights up the menu item it belongs to.
  const activeRoute = found?.route.hiddenFromMenu ? visible.find((route) => route.path !== '/' && found.route.path.startsWith(`${route.path}/`)) : found?.route;

  const sections: { title: string | null; items: AppRoute[] }[] = [
    { title: null, items: visible.filter((route) => !route.group) },
    ...menuGroups.map((group) => ({ title: group, items: visible.filter((route) => route.group === group) })),
  ].filter((section) => section.items.length > 0);

  return (
    <div className="shell">
      <header className="shell-header">
        <div className="shell-school" title={school.name}>
          {school.name}
        </div>
        <div className="shell-user">
          <span className="shell-user-name">{user.fullName}</span>
          <span className="shell-user-roles">{user.roles.map((role) => roleTitles[role]).join(', ')}</span>
        </div>
        <UnsentEdits />
        <button type="button" className="button button-quiet" onClick={() => void signOut()}>
          Выйти
        </button>
      </header>
      <nav className="shell-menu" aria-label="Разделы">
        {sections.map((section) => (
          <div key={section.title ?? 'main'} className="menu-section">
            {section.title && <div className="menu-section-title">{section.title}</div>}
            <ul>
              {section.items.map((route) => (
                <li key={route.path}>
                  <a href={`#${route.path}`} aria-current={route === activeRoute ? 'page' : undefined}>
                    {route.title}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="shell-page">
        {!found ? (
          <section>
            <h1>Страница не найдена</h1>
            <p>
              Такой страницы нет. <a href="#/">На главную</a>
            </p>
          </section>
        ) : !hasPermission(user.roles, found.route.permission) ? (
          <section>
            <h1>{found.route.title}</h1>
            <p className="message message-error" role="alert">
              Этот раздел недоступен для ваших ролей. <a href="#/">На главную</a>
            </p>
          </section>
        ) : (
          <RouteParams params={found.params}>
            <MenuContext.Provider value={visible}>
              <h1 ref={heading} tabIndex={-1}>
                {found.route.title}
              </h1>
              {/* A new page for every path: forms never carry over between pages. */}
              <found.route.component key={path} />
            </MenuContext.Provider>
          </RouteParams>
        )}
      </main>
    </div>
  );
}

/**
 * An edit answered within this is never counted in the header: every mark goes through the
 * outbox, and a «Не отправлено: 1» blinking at each keystroke would alarm for nothing.
 */
const UNSENT_SHOWN_AFTER_MS = 2000;

/** «Не отправлено: N» — this PC's edits the database has not accepted yet, with the list. */
function UnsentEdits() {
  const { entries, offline } = useOutbox();
  const [open, setOpen] = useState(false);
  // Timed by the page's timers, not the clock: the oldest edit still waiting, once it has waited long enough.
  const oldest = entries[0]?.id;
  const [late, setLate] = useState<number | null>(null);
  useEffect(() => {
    if (oldest === undefined) return;
    const timer = setTimeout(() => setLate(oldest), UNSENT_SHOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [oldest]);
  const waitedLong = oldest !== undefined && late === oldest;
  if (entries.length === 0 || !(offline || waitedLong || entries.some((entry) => entry.refused))) return null;
  return (
    <div className="shell-unsent">
      <button type="button" className="button button-quiet" aria-expanded={open} onClick={() => setOpen(!open)}>
        Не отправлено: {entries.length}
      </button>
      {open && (
        <div className="shell-unsent-list" role="dialog" aria-label="Неотправленные изменения">
          <CloseOnEscape onClose={() => setOpen(false)} />
          <p className="muted">{offline ? 'Нет связи с базой данных. Изменения хранятся на этом компьютере и будут отправлены, когда связь вернётся.' : 'Изменения отправляются по порядку.'}</p>
          <ul>
            {entries.map((entry) => (
              <li key={entry.id}>
                {entry.label}
                {entry.refused && (
                  <>
                    {' '}
                    <span className="message-error">— не принято: {entry.refused.message}</span>{' '}
                    {entry.refused.dropped && entry.refused.dropped.length > 0 && <span className="message-error">Не отправлено вместе с ним: {entry.refused.dropped.join('; ')}.</span>}{' '}
                    <button type="button" className="button button-quiet" onClick={() => outbox.dismiss(entry.id)}>
                      Убрать из списка
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          {offline && (
            <button type="button" className="button" onClick={() => outbox.retryNow()}>
              Повторить сейчас
            </button>
          )}
        </div>
      )}
    </div>
  );
}
