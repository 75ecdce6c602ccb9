import type { ReactNode } from 'react';

/** The centred card of the screens before the app: first run, login, password. */
export function AuthLayout({ title, schoolName, children, wide }: { title: string; schoolName?: string | null; children: ReactNode; wide?: boolean }) {
  return (
    <main className="auth-page">
      <section className={wide ? 'auth-card auth-card-wide' : 'auth-card'} aria-labelledby="auth-title">
        <div className="auth-product">Электронный классный журнал</div>
        {schoolName && <div className="auth-school">{schoolName}</div>}
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
