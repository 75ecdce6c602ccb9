import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { api, asApiError } from '../../api/client';
import { Link } from '../../app/router';
import { useCan, useSession } from '../../app/session';
import { formatInstant } from '../../lib/time';
import { russianDate } from '../../../src-shared/rules/dates';

// «Запросы на изменение» (D-25): a teacher sees their own requests and how they were
// decided; a deputy or the administrator approves (the change is applied at once, audited
// with the reason) or rejects with a reason.

type ChangeRequest = MethodOutput<'changes.list'>[number];
type Status = 'pending' | 'approved' | 'rejected' | 'all';

const statusTitles: Record<ChangeRequest['status'], string> = { pending: 'ждёт решения', approved: 'одобрен', rejected: 'отклонён' };
const filterTitles: Record<Status, string> = { pending: 'Ждут решения', approved: 'Одобренные', rejected: 'Отклонённые', all: 'Все' };

const isLessonMove = (request: ChangeRequest) => (request.target as { kind?: string } | null)?.kind === 'lessonDate';
/** Whom or what the request is about: a student's cell, or the lesson itself when it is moved. */
const subjectOf = (request: ChangeRequest) => (isLessonMove(request) ? 'Перенос урока' : request.studentName);
/** Was → will be: marks and codes as they are; a lesson's dates as dd.mm.yyyy. */
const valueOf = (request: ChangeRequest, value: string | null) => (value !== null && isLessonMove(request) ? russianDate(value) : value);

export function ChangesPage() {
  const can = useCan();
  const { school } = useSession();
  const approver = can('journal.approve');
  const [status, setStatus] = useState<Status>('pending');
  const [requests, setRequests] = useState<ChangeRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<number, string>>({});

  const load = useCallback(async () => {
    try {
      setRequests(await api.call('changes.list', { status, limit: 200 }));
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load]);

  async function decide(request: ChangeRequest, approve: boolean) {
    const note = (notes[request.id] ?? '').trim();
    try {
      if (approve) await api.call('changes.approve', { id: request.id, note });
      else await api.call('changes.reject', { id: request.id, note });
      setError(null);
      setNotice(`${subjectOf(request)}, ${request.subjectName} ${russianDate(request.lessonDate)}: запрос ${approve ? 'одобрен, изменение внесено' : 'отклонён'}.`);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
    await load();
  }

  return (
    <div>
      <div className="toolbar">
        {(Object.keys(filterTitles) as Status[]).map((value) => (
          <button key={value} type="button" className={value === status ? 'button button-primary' : 'button'} aria-pressed={value === status} onClick={() => setStatus(value)}>
            {filterTitles[value]}
          </button>
        ))}
      </div>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      {requests?.length === 0 && <p className="muted">Запросов нет.</p>}
      {requests && requests.length > 0 && (
        <table className="table table-compact" aria-label="Запросы на изменение">
          <thead>
            <tr>
              <th>Класс, предмет</th>
              <th>Ученик, урок</th>
              <th>Было → станет</th>
              <th>Причина</th>
              <th>Кто просит</th>
              <th>Решение</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id} aria-label={`Запрос: ${subjectOf(request)}`}>
                <td>
                  <Link to={`/journal/${request.loadId}`}>
                    {request.className}, {request.subjectName}
                  </Link>
                </td>
                <td>
                  {subjectOf(request)}
                  <div className="muted small">{russianDate(request.lessonDate)}</div>
                </td>
                <td className="nowrap">
                  {valueOf(request, request.current) ?? 'пусто'} → <strong>{valueOf(request, request.proposed) ?? 'удалить'}</strong>
                </td>
                <td>{request.reason}</td>
                <td>
                  {request.requestedBy}
                  <div className="muted small">{formatInstant(request.requestedAt, school.timeZone)}</div>
                </td>
                <td>
                  {request.status === 'pending' && approver ? (
                    <div className="inline-form">
                      <input
                        className="toolbar-search"
                        aria-label={`Комментарий к решению: ${subjectOf(request)}`}
                        placeholder="Комментарий (для отказа — обязательно)"
                        value={notes[request.id] ?? ''}
                        onChange={(event) => setNotes({ ...notes, [request.id]: event.target.value })}
                      />
                      <button type="button" className="button button-primary" onClick={() => void decide(request, true)}>
                        Одобрить
                      </button>
                      <button type="button" className="button" onClick={() => void decide(request, false)}>
                        Отклонить
                      </button>
                    </div>
                  ) : (
                    <>
                      <span className={request.status === 'approved' ? 'badge badge-ok' : request.status === 'rejected' ? 'badge badge-bad' : 'badge badge-warn'}>{statusTitles[request.status]}</span>
                      {request.decidedBy && (
                        <div className="muted small">
                          {request.decidedBy}, {formatInstant(request.decidedAt, school.timeZone)}
                          {request.decisionNote ? `: ${request.decisionNote}` : ''}
                        </div>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
