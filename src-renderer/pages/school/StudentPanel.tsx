import { useEffect, useState } from 'react';
import { consentGivers, schoolContract } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { ErrorMessage, Loading, orderText, russianDate, SplitPanel, useSchoolToday } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { ContractForm, FormDate, FormSelect, FormText, useContractForm } from '../../ui/contract-form';
import { ParentsSection } from './ParentsSection';

const giverTitles: Record<(typeof consentGivers)[number], string> = { student: 'ученик', parent: 'родитель, законный представитель' };

/**
 * The student card: name and birth date, consents (D-45), parents, departure and transfer
 * (D-13). `editable`: movement (the secretary); `keeps`: the card, consents and parents (also
 * the class teacher of the student's class).
 */
export function StudentPanel({
  studentId,
  editable,
  keeps,
  classOptions,
  onClose,
  onChanged,
}: {
  studentId: number;
  editable: boolean;
  keeps: boolean;
  classOptions: { value: string; label: string }[];
  onClose(): void;
  onChanged(): Promise<void>;
}) {
  const card = useApiQuery('students.get', { id: studentId });
  const today = useSchoolToday();
  const withdraw = useAction();

  async function changed() {
    await card.reload();
    await onChanged();
  }

  const student = card.data;
  const current = student?.enrollments.find((enrollment) => enrollment.departedOn === null);
  const consentsInForce = student?.consents.filter((consent) => consent.withdrawnOn === null) ?? [];

  return (
    <SplitPanel label="Карточка ученика" heading={student ? student.fullName : 'Карточка ученика'} onClose={onClose}>
      <ErrorMessage error={card.error} />
      {!student ? (
        <div className="panel-section">
          <Loading />
        </div>
      ) : (
        <>
          {student.personalData !== 'full' && (
            <p className="panel-section muted small">Дата рождения, согласия и сведения о родителях доступны классному руководителю и администрации.</p>
          )}
          {student.personalData === 'full' && <ParentsSection studentId={studentId} editable={keeps} onChanged={onChanged} />}
          {student.personalData === 'full' && (
          <section className="panel-section" aria-label="Согласия на обработку персональных данных">
            <h3>Согласия на обработку персональных данных</h3>
            {consentsInForce.length === 0 && (
              <p className="message message-warn" role="status">
                Согласие не зарегистрировано.
              </p>
            )}
            <ErrorMessage error={withdraw.error} />
            {student.consents.length > 0 && (
              <ul className="plain-list">
                {student.consents.map((consent) => (
                  <li key={consent.id}>
                    {consent.giverName} ({giverTitles[consent.givenBy]}), от {russianDate(consent.givenOn)}
                    {consent.withdrawnOn ? (
                      <span className="badge badge-bad">отозвано {russianDate(consent.withdrawnOn)}</span>
                    ) : (
                      keeps && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="button button-link"
                            onClick={() => void withdraw.run(() => api.call('students.consents.withdraw', { id: consent.id, withdrawnOn: today }), changed)}
                          >
                            Отозвано сегодня
                          </button>
                        </>
                      )
                    )}
                  </li>
                ))}
              </ul>
            )}
            {keeps && <ConsentForm studentId={studentId} studentName={student.fullName} onAdded={changed} />}
          </section>
          )}
          <section className="panel-section" aria-label="Движение">
            <h3>Движение</h3>
            <ul className="plain-list">
              {student.enrollments.map((enrollment) => (
                <li key={enrollment.id}>
                  {enrollment.className}: с {russianDate(enrollment.arrivedOn)}
                  {enrollment.arrivalOrder && ` (${orderText(enrollment.arrivalOrder)})`}
                  {enrollment.departedOn && ` по ${russianDate(enrollment.departedOn)}${enrollment.departureOrder ? ` (${orderText(enrollment.departureOrder)})` : ''}`}
                </li>
              ))}
            </ul>
          </section>
          {keeps && student.personalData === 'full' && (
            <details className="panel-section">
              <summary>Исправить ФИО и дату рождения</summary>
              <EditStudentForm student={student} onSaved={changed} />
            </details>
          )}
          {editable && current && (
            <details className="panel-section">
              <summary>Выбытие по приказу</summary>
              <DepartureForm studentId={studentId} defaultDate={today} onDone={changed} />
            </details>
          )}
          {editable && current && (
            <details className="panel-section">
              <summary>Перевод в другой класс</summary>
              <TransferForm studentId={studentId} classOptions={classOptions.filter((option) => option.value !== String(current.classId))} defaultDate={today} onDone={changed} />
            </details>
          )}
        </>
      )}
    </SplitPanel>
  );
}

const consentFields = schoolContract['students.consents.add'].input.omit({ studentId: true });
const studentFields = schoolContract['students.update'].input.omit({ id: true });
const departureFields = schoolContract['students.depart'].input.omit({ studentId: true });
const transferFields = schoolContract['students.transfer'].input.omit({ studentId: true });
const genderOptions = [
  { value: '', label: '—' },
  { value: 'м', label: 'мужской' },
  { value: 'ж', label: 'женский' },
];

function ConsentForm({ studentId, studentName, onAdded }: { studentId: number; studentName: string; onAdded(): Promise<void> }) {
  const today = useSchoolToday();
  const form = useContractForm(consentFields, { givenBy: 'parent', giverName: '', givenOn: today });
  const givenBy = form.watch('givenBy');
  // The student gives consent in their own name: it is filled in, still editable.
  useEffect(() => {
    if (givenBy === 'student' && !form.getValues('giverName')) form.setValue('giverName', studentName);
  }, [givenBy, form, studentName]);
  return (
    <ContractForm
      form={form}
      aria-label="Новое согласие"
      className="form-section"
      submitLabel="Зарегистрировать согласие"
      busyLabel="Сохраняю…"
      onSubmit={async (values) => {
        await api.call('students.consents.add', { studentId, ...values });
        form.reset({ givenBy: values.givenBy, giverName: '', givenOn: values.givenOn });
        await onAdded();
      }}
    >
      <div className="field-row field-row-wide">
        <FormSelect name="givenBy" label="Кто дал" options={consentGivers.map((value) => ({ value, label: giverTitles[value] }))} />
        <FormDate name="givenOn" label="Дата согласия" />
      </div>
      <FormText name="giverName" label="ФИО давшего согласие" />
    </ContractForm>
  );
}

function EditStudentForm({
  student,
  onSaved,
}: {
  student: { id: number; surname: string; name: string; patronymic: string; birthDate: string | null; gender: string };
  onSaved(): Promise<void>;
}) {
  const form = useContractForm(studentFields, {
    surname: student.surname,
    name: student.name,
    patronymic: student.patronymic,
    birthDate: student.birthDate,
    gender: student.gender as 'м' | 'ж' | '',
  });
  const [saved, setSaved] = useState(false);
  return (
    <ContractForm
      form={form}
      aria-label="Исправить данные ученика"
      submitLabel="Сохранить"
      onSubmit={async (values) => {
        setSaved(false);
        await api.call('students.update', { id: student.id, ...values });
        setSaved(true);
        await onSaved();
      }}
    >
      {saved && (
        <p className="message message-success" role="status">
          Сохранено.
        </p>
      )}
      <FormText name="surname" label="Фамилия" />
      <div className="field-row">
        <FormText name="name" label="Имя" />
        <FormText name="patronymic" label="Отчество" />
      </div>
      <div className="field-row">
        <FormDate name="birthDate" label="Дата рождения" nullable />
        <FormSelect name="gender" label="Пол" options={genderOptions} />
      </div>
    </ContractForm>
  );
}

function DepartureForm({ studentId, defaultDate, onDone }: { studentId: number; defaultDate: string; onDone(): Promise<void> }) {
  const form = useContractForm(departureFields, { departedOn: defaultDate, departureOrder: '' });
  return (
    <ContractForm
      form={form}
      aria-label="Выбытие"
      submitLabel="Оформить выбытие"
      onSubmit={async (values) => {
        await api.call('students.depart', { studentId, ...values });
        await onDone();
      }}
    >
      <p className="muted small">Ученик остаётся в списках по дату выбытия включительно; его отметки и история сохраняются.</p>
      <div className="field-row">
        <FormDate name="departedOn" label="Дата выбытия" />
        <FormText name="departureOrder" label="Номер приказа" />
      </div>
    </ContractForm>
  );
}

function TransferForm({ studentId, classOptions, defaultDate, onDone }: { studentId: number; classOptions: { value: string; label: string }[]; defaultDate: string; onDone(): Promise<void> }) {
  const firstClass = classOptions[0] ? Number(classOptions[0].value) : undefined;
  const form = useContractForm(transferFields, { toClassId: firstClass, date: defaultDate, order: '' });
  return (
    <ContractForm
      form={form}
      aria-label="Перевод"
      submitLabel="Перевести"
      disabled={firstClass === undefined}
      onSubmit={async (values) => {
        await api.call('students.transfer', { studentId, ...values });
        await onDone();
      }}
    >
      <FormSelect name="toClassId" label="В класс" numeric options={classOptions} />
      <div className="field-row">
        <FormDate name="date" label="С даты" />
        <FormText name="order" label="Номер приказа" />
      </div>
    </ContractForm>
  );
}
