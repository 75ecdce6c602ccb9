// What tests/support/outbox-worker.ts is told to do, and the lines it prints.

export interface OutboxWorkerPlan {
  databaseUrl: string;
  storeFile: string;
  login: string;
  password: string;
  nowIso: string;
  /**
   * queue: the database cannot be reached; the marks are queued, then «queued» is printed.
   * lostReply: the first save reaches the database but its answer never comes back («applied»).
   * send: whatever the store holds is sent; then «sent N» and the process ends.
   */
  mode: 'queue' | 'lostReply' | 'send';
  marks: { lessonId: number; studentId: number; value: string; workTypeId: number; key: string }[];
}

export const QUEUED_LINE = 'outbox-queued';
export const APPLIED_LINE = 'outbox-applied';
export const SENT_LINE = 'outbox-sent';
