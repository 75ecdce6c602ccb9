import { useState } from 'react';
import { z } from 'zod';
import { authContract } from '../../src-shared/contract/auth';
import type { MethodOutput } from '../../src-shared/contract/index';
import { MIN_PASSWORD_LENGTH } from '../../src-shared/contract/common';
import { roleTitles } from '../../src-shared/roles';
import { api } from '../api/client';
import { DEFAULT_TIME_ZONE, russianTimeZones } from '../lib/time-zones';
import { ContractForm, FormSelect, FormText, useContractForm } from '../ui/contract-form';
import { AuthLayout } from './AuthLayout';

type Demo = MethodOutput<'setup.createDemo'>;

const newSchoolFields = authContract['setup.createSchool'].input
  .extend({ passwordAgain: z.string() })
  .refine((values) => values.adminPassword === values.passwordAgain, { message: 'Пароли не совпадают', path: ['passwordAgain'] });

const noFields = z.object({});

export interface NewSchool {
  schoolName: string;
  timeZone: string;
  adminLogin: string;
  adminPassword: string;
}

/**
 * First run on an empty database: create the school and its first administrator,
 * or open the demo school.
 */
export function FirstRunScreen({
  onSchoolCreated,
  onDemoReady,
  onChooseServer,
}: {
  onSchoolCreated(school: NewSchool): Promise<void>;
  onDemoReady(demo: Demo): void;
  /** Where this PC may keep its data elsewhere: the school's server, one link away. */
  onChooseServer?(): void;
}) {
  const [choice, setChoice] = useState<'choose' | 'new'>('choose');
  if (choice === 'new') return <NewSchoolForm onCreated={onSchoolCreated} onBack={() => setChoice('choose')} />;
  return <Choice onNew={() => setChoice('new')} onDemoReady={onDemoReady} onChooseServer={onChooseServer} />;
}

function Choice({ onNew, onDemoReady, onChooseServer }: { onNew(): void; onDemoReady(demo: Demo): void; onChooseServer?(): void }) {
  const demoForm = useContractForm(noFields, {});
  return (
    <AuthLayout title="Первый запуск" wide>
      <p>Журнал ещё пуст. Посмотрите, как он работает, на готовой школе — или заведите свою.</p>
      <div className="first-run-choices">
        <div className="choice">
          <h2>Посмотреть</h2>
          <p>Готовая школа с классами, уроками и отметками: войдите учителем, завучем или администратором.</p>
          <ContractForm form={demoForm} onSubmit={async () => onDemoReady(await api.call('setup.createDemo', {}))} submitLabel="Открыть демо-школу" busyLabel="Создаю школу, это займёт до минуты…">
            {null}
          </ContractForm>
        </div>
        <div className="choice">
          <h2>Начать работу</h2>
          <p>Название школы, часовой пояс и первый администратор журнала. Данные хранятся на этом компьютере; классы, учеников и расписание администратор заведёт потом.</p>
          <button type="button" className="button button-primary" onClick={onNew}>
            Создать свою школу
          </button>
        </div>
      </div>
      {onChooseServer && (
        <p className="muted small first-run-server">
          Школа уже работает на сервере?{' '}
          <button type="button" className="button-link" onClick={onChooseServer}>
            Подключиться к серверу школы
          </button>
        </p>
      )}
    </AuthLayout>
  );
}

function NewSchoolForm({ onCreated, onBack }: { onCreated(school: NewSchool): Promise<void>; onBack(): void }) {
  const form = useContractForm(newSchoolFields, { schoolName: '', timeZone: DEFAULT_TIME_ZONE, adminLogin: '', adminFullName: '', adminPassword: '', passwordAgain: '' });

  return (
    <AuthLayout title="Новая школа" wide>
      <ContractForm
        form={form}
        aria-label="Новая школа"
        submitLabel="Создать школу"
        busyLabel="Создаю школу…"
        onSubmit={async ({ passwordAgain: _again, ...school }) => {
          await api.call('setup.createSchool', school);
          await onCreated({ schoolName: school.schoolName, timeZone: school.timeZone, adminLogin: school.adminLogin, adminPassword: school.adminPassword });
        }}
        actions={
          <button type="button" className="button" onClick={onBack}>
            Назад
          </button>
        }
      >
        <FormText name="schoolName" label="Название школы" autoFocus placeholder="МБОУ «Средняя общеобразовательная школа № 1»" />
        <FormSelect name="timeZone" label="Часовой пояс школы" options={russianTimeZones} />
        <h2 className="form-section">Администратор журнала</h2>
        <div className="field-row">
          <FormText name="adminFullName" label="ФИО" autoComplete="name" />
          <FormText name="adminLogin" label="Логин" autoComplete="username" hint="Латинские буквы, цифры, точка, дефис" />
        </div>
        <div className="field-row">
          <FormText name="adminPassword" label="Пароль" type="password" autoComplete="new-password" hint={`Не короче ${MIN_PASSWORD_LENGTH} символов`} />
          <FormText name="passwordAgain" label="Пароль ещё раз" type="password" autoComplete="new-password" />
        </div>
      </ContractForm>
    </AuthLayout>
  );
}

/** After the demo school is made: whom to sign in as. */
export function DemoReadyScreen({ demo, onContinue }: { demo: Demo; onContinue(): void }) {
  return (
    <AuthLayout title="Демонстрационная школа готова" schoolName={demo.schoolName} wide>
      <p>
        Войдите под любой из этих учётных записей. Пароль у всех один: <strong className="secret">{demo.password}</strong>
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Логин</th>
            <th>Сотрудник</th>
            <th>Роли</th>
            <th>Что посмотреть</th>
          </tr>
        </thead>
        <tbody>
          {demo.accounts.map((account) => (
            <tr key={account.login}>
              <td className="mono">{account.login}</td>
              <td>{account.fullName}</td>
              <td>{account.roles.map((role) => roleTitles[role]).join(', ')}</td>
              <td>{account.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onContinue} autoFocus>
          Перейти ко входу
        </button>
      </div>
    </AuthLayout>
  );
}
