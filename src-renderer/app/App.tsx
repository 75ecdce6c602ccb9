import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CurrentUser } from '../../src-shared/contract/auth';
import type { MethodOutput } from '../../src-shared/contract/index';
import { api, asApiError } from '../api/client';
import { outbox } from '../outbox/index';
import { ChangePasswordScreen } from '../screens/ChangePasswordScreen';
import { DataLocationScreen } from '../screens/DataLocationScreen';
import { DemoReadyScreen, FirstRunScreen, type NewSchool } from '../screens/FirstRunScreen';
import { HeldEdits } from '../screens/HeldEdits';
import { LoginScreen } from '../screens/LoginScreen';
import { AuthLayout } from '../screens/AuthLayout';
import { navigate } from './router';
import { SessionContext, type SchoolInfo, type SessionValue } from './session';
import { Shell } from './Shell';
import { clearReadCache, setReadCacheUser } from '../journal/read-cache';

type Phase =
  | { name: 'loading' }
  | { name: 'unreachable'; message: string; canChooseLocation: boolean }
  | { name: 'dataLocation'; from: 'firstRun' | 'unreachable' }
  | { name: 'firstRun'; canChooseServer: boolean }
  | { name: 'demoReady'; demo: MethodOutput<'setup.createDemo'> }
  | { name: 'login'; notice: string | null }
  | { name: 'changePassword'; user: CurrentUser }
  | { name: 'app'; user: CurrentUser };

/** Where a signed-in person goes: their own password first, then the app. */
const phaseFor = (user: CurrentUser): Phase => (user.mustChangePassword ? { name: 'changePassword', user } : { name: 'app', user });

export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [school, setSchool] = useState<SchoolInfo | null>(null);
  /** A demo school's sample logins, listed on its login screen (the core keeps them with the school). */
  const [demo, setDemo] = useState<MethodOutput<'setup.status'>['demo']>(null);
  /** The first run asks where to keep the data once; after that it goes on to the school. */
  const locationChosen = useRef(false);

  const start = useCallback(async () => {
    setPhase({ name: 'loading' });
    try {
      const status = await api.call('setup.status', {});
      if (!status.initialized) {
        // «Где хранить данные» comes first, where this PC can choose (the app's station answers pc.*).
        // The first screen leads with the demo and a school of one's own; the server is one link away.
        const canChoose = !locationChosen.current && (await api.call('pc.dataLocation', {}).then(() => true, () => false));
        setPhase({ name: 'firstRun', canChooseServer: canChoose });
        return;
      }
      setSchool({ name: status.schoolName ?? '', timeZone: status.timeZone ?? 'Europe/Moscow' });
      setDemo(status.demo);
      if (!api.signedIn) {
        setPhase({ name: 'login', notice: null });
        return;
      }
      try {
        setPhase(phaseFor(await api.call('auth.whoami', {})));
      } catch (error) {
        // Says why: the session ended, or the account was blocked meanwhile.
        setPhase({ name: 'login', notice: asApiError(error).message });
      }
    } catch (error) {
      // A database that cannot be opened: say why, and offer to choose another place or fix the connection.
      const message = asApiError(error).message;
      const canChooseLocation = await api.call('pc.dataLocation', {}).then(() => true, () => false);
      setPhase({ name: 'unreachable', message, canChooseLocation });
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  // The core ended the session (inactivity, account blocked): back to the login, saying why.
  useEffect(() => api.onSessionEnded((message) => setPhase({ name: 'login', notice: message })), []);

  // This PC's outbox sends the edits of whoever is signed in, and only theirs.
  const signedInId = phase.name === 'app' ? phase.user.id : null;
  useEffect(() => {
    outbox.setUser(signedInId);
    setReadCacheUser(signedInId);
  }, [signedInId]);

  const signOut = useCallback(async () => {
    const unsent = outbox.snapshot().entries.length;
    if (unsent > 0 && !window.confirm(`Не отправлено изменений: ${unsent}. Они останутся на этом компьютере и уйдут, когда вы снова войдёте. Выйти?`)) return;
    try {
      await api.call('auth.logout', {});
    } catch {
      // Signing out locally is what matters; the core forgets the session on its own.
    }
    api.setSession(null);
    clearReadCache();
    navigate('/');
    setPhase({ name: 'login', notice: 'Вы вышли из журнала.' });
  }, []);

  const signedIn = useCallback((user: CurrentUser) => {
    // A shared classroom PC: the next person starts on the home page, not on the last one's.
    navigate('/');
    setPhase(phaseFor(user));
  }, []);

  const refreshUser = useCallback(async () => {
    setPhase(phaseFor(await api.call('auth.whoami', {})));
  }, []);

  const sessionValue = useMemo<SessionValue | null>(
    () => (phase.name === 'app' && school ? { user: phase.user, school, signOut, refreshUser } : null),
    [phase, school, signOut, refreshUser],
  );

  switch (phase.name) {
    case 'loading':
      return (
        <main className="auth-page" aria-busy="true">
          <p className="muted">Загрузка журнала…</p>
        </main>
      );
    case 'unreachable':
      return (
        <AuthLayout title="Журнал недоступен">
          <p className="message message-error" role="alert">
            {phase.message}
          </p>
          <HeldEdits />
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={() => void start()}>
              Повторить
            </button>
            {phase.canChooseLocation && (
              <button type="button" className="button" onClick={() => setPhase({ name: 'dataLocation', from: 'unreachable' })}>
                Настроить подключение к базе
              </button>
            )}
          </div>
        </AuthLayout>
      );
    case 'dataLocation':
      return (
        <DataLocationScreen
          onDone={() => {
            locationChosen.current = true;
            api.setSession(null);
            void start();
          }}
          onBack={() => void start()}
        />
      );
    case 'firstRun':
      return (
        <FirstRunScreen
          onChooseServer={phase.canChooseServer ? () => setPhase({ name: 'dataLocation', from: 'firstRun' }) : undefined}
          onDemoReady={(made) => setPhase({ name: 'demoReady', demo: made })}
          onSchoolCreated={async (created: NewSchool) => {
            setSchool({ name: created.schoolName.trim(), timeZone: created.timeZone });
            // The person who just created the school is its administrator: straight in.
            const { session, user } = await api.call('auth.login', { login: created.adminLogin, password: created.adminPassword });
            api.setSession(session);
            signedIn(user);
          }}
        />
      );
    case 'demoReady':
      return <DemoReadyScreen demo={phase.demo} onContinue={() => void start()} />;
    case 'login':
      return <LoginScreen schoolName={school?.name ?? null} notice={phase.notice} onSignedIn={signedIn} demo={demo} />;
    case 'changePassword':
      return <ChangePasswordScreen user={phase.user} schoolName={school?.name ?? null} onChanged={refreshUser} onSignOut={() => void signOut()} />;
    case 'app':
      return (
        <SessionContext.Provider value={sessionValue}>
          <Shell />
        </SessionContext.Provider>
      );
  }
}
