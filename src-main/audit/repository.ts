import type { AuditRecord } from '../../src-shared/contract/accounts';
import type { Db } from '../store/database';

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  userId?: number | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/** Newest first. */
export async function listAudit(db: Db, filter: AuditFilter): Promise<AuditRecord[]> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.at', 'a.user_id', 'u.full_name', 'a.action', 'a.entity', 'a.entity_id', 'a.before_json', 'a.after_json', 'a.reason'])
    .orderBy('a.id', 'desc')
    .limit(filter.limit);
  if (filter.entity) query = query.where('a.entity', '=', filter.entity);
  if (filter.entityId) query = query.where('a.entity_id', '=', filter.entityId);
  if (filter.userId) query = query.where('a.user_id', '=', filter.userId);
  if (filter.since) query = query.where('a.at', '>=', new Date(filter.since).toISOString());
  if (filter.until) query = query.where('a.at', '<', new Date(filter.until).toISOString());
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    userName: r.full_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    reason: r.reason,
  }));
}
