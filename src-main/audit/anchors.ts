import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../store/database';
import { GENESIS_HASH } from './chain';

/**
 * Anchors (D-26): the audit chains' heads written down outside the database — in every
 * signed backup's manifest, on the certification page of every printed journal (as a
 * fingerprint), and in an append-only file on each PC. Someone who can write the database
 * can cut records off the end of a chain and move its head back, or re-chain it; an anchor
 * taken before still names the record it saw, so `audit verify` finds what went missing or
 * changed since.
 */

/** [chain, id of the chain's newest record, its hash], every chain, by chain. */
export type AuditHeads = [chain: number, id: number, hash: string][];

export const auditHeadsSchema = z.array(z.tuple([z.number().int(), z.number().int(), z.string().max(128)])).max(1000);

export interface Anchor {
  at: string;
  /** Where it was found, in Russian: «файл меток этого компьютера», «резервная копия …». */
  source: string;
  heads: AuditHeads;
}

export async function readAuditHeads(db: Db): Promise<AuditHeads> {
  const rows = await db.selectFrom('audit_head').select(['id', 'last_id', 'last_hash']).orderBy('id').execute();
  return rows.map((h) => [h.id, h.last_id, h.last_hash]);
}

/**
 * The heads as they stood at `at` (ISO instant): each chain's newest record made by then.
 * For a printed page certified at a moment; with headsFingerprint, what the page shows.
 */
export async function readHeadsAt(db: Db, at: string): Promise<AuditHeads> {
  // Per chain, the record just before the first one written after `at`: once a chain has a
  // record after the moment, its prefix up to the moment is fixed, so a reprint gives the same
  // heads even when another PC's clock, a little behind, appends a record stamped earlier.
  const chains = await db.selectFrom('audit_head').select('id').orderBy('id').execute();
  const firstAfter = new Map(
    (await db.selectFrom('audit_log').select((eb) => ['chain', eb.fn.min('id').as('id')]).where('at', '>', at).groupBy('chain').execute()).map((row) => [row.chain, Number(row.id)]),
  );
  const heads: AuditHeads = [];
  for (const { id: chain } of chains) {
    const bound = firstAfter.get(chain);
    let query = db.selectFrom('audit_log').select(['id', 'hash']).where('chain', '=', chain).orderBy('id', 'desc').limit(1);
    if (bound !== undefined) query = query.where('id', '<', bound);
    const last = await query.executeTakeFirst();
    heads.push(last ? [chain, last.id, last.hash] : [chain, 0, GENESIS_HASH]);
  }
  return heads;
}

/** A short fingerprint of the heads, for a printed page: «7F3A 09C1 E2B4 5D6F». */
export function headsFingerprint(heads: AuditHeads): string {
  return createHash('sha256').update(JSON.stringify(heads)).digest('hex').slice(0, 16).toUpperCase().match(/.{4}/g)!.join(' ');
}

// ── The anchor file on each PC ──────────────────────────────────────────────────────────

const pcDirs = new WeakMap<object, string>();
/** Remembers which PC folder a store's anchors go to (set by the core that opened it). */
export function setPcDir(store: object, pcDir: string): void {
  pcDirs.set(store, pcDir);
}
export function pcDirOf(store: object): string | null {
  return pcDirs.get(store) ?? null;
}

export const ANCHOR_FILE = 'audit-anchors.jsonl';

const anchorLine = z.object({ at: z.string().max(40), school: z.string().max(200), location: z.string().max(1000), heads: auditHeadsSchema });

/** Which school an anchor belongs to: a PC may open several databases over time. */
export async function schoolIdentity(db: Db): Promise<string | null> {
  const school = await db.selectFrom('school').select('created_at').where('id', '=', 1).executeTakeFirst();
  return school?.created_at ?? null;
}

/**
 * Appends one line to the PC's anchor file (opened for appending only). Nothing is
 * written when the heads are the same as the last line's.
 */
export async function writeAnchor(pcDir: string, db: Db, location: string, at: Date): Promise<void> {
  const school = await schoolIdentity(db);
  if (!school) return;
  const heads = await readAuditHeads(db);
  if (heads.every(([, id]) => id === 0)) return;
  const file = join(pcDir, ANCHOR_FILE);
  const last = readAnchorLines(file).findLast((line) => line.school === school);
  if (last && JSON.stringify(last.heads) === JSON.stringify(heads)) return;
  mkdirSync(pcDir, { recursive: true });
  appendFileSync(file, `${JSON.stringify({ at: at.toISOString(), school, location, heads })}\n`, { mode: 0o600 });
}

function readAnchorLines(file: string): z.infer<typeof anchorLine>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines: z.infer<typeof anchorLine>[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      const parsed = anchorLine.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // a torn last line (power cut while appending) is skipped
    }
  }
  return lines;
}

/** The anchors this PC's file holds for the school in `db`. */
export async function readPcAnchors(pcDir: string, db: Db): Promise<Anchor[]> {
  const school = await schoolIdentity(db);
  if (!school) return [];
  return readAnchorLines(join(pcDir, ANCHOR_FILE))
    .filter((line) => line.school === school)
    .map((line) => ({ at: line.at, source: 'файл меток этого компьютера', heads: line.heads }));
}

/** An anchor's date as a person reads it: «14.10.2026 10:30 (UTC)». */
export function anchorDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'в неизвестное время';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} (UTC)`;
}

/**
 * Compares anchors with the database: every record an anchor names must still be there,
 * in the same chain, with the same hash. Returns Russian findings, at most one per chain
 * (the earliest anchor that no longer matches).
 */
export async function compareAnchors(db: Db, anchors: Anchor[]): Promise<string[]> {
  const findings: string[] = [];
  const flagged = new Set<number>();
  const ordered = [...anchors].sort((a, b) => a.at.localeCompare(b.at));
  const named = new Map<number, { chain: number; hash: string } | null>();
  const wanted = [...new Set(ordered.flatMap((a) => a.heads.filter(([, id]) => id > 0).map(([, id]) => id)))];
  for (let i = 0; i < wanted.length; i += 500) {
    const ids = wanted.slice(i, i + 500);
    const rows = await db.selectFrom('audit_log').select(['id', 'chain', 'hash']).where('id', 'in', ids).execute();
    for (const id of ids) named.set(id, null);
    for (const row of rows) named.set(row.id, { chain: row.chain, hash: row.hash });
  }
  const lastGood = new Map<number, number>();
  for (const anchor of ordered) {
    for (const [chain, id, hash] of anchor.heads) {
      if (id === 0 || flagged.has(chain)) continue;
      const found = named.get(id);
      const since = `${anchor.source}, ${anchorDate(anchor.at)}`;
      if (!found) {
        findings.push(`запись № ${id} отсутствует (удалена): она была в журнале изменений по метке «${since}»`);
        flagged.add(chain);
      } else if (found.chain !== chain || found.hash !== hash) {
        const after = lastGood.get(chain);
        const which = after !== undefined && after < id ? `одна из записей № ${after + 1}–${id}` : `одна из записей до № ${id} включительно`;
        findings.push(`запись № ${id} не совпадает с меткой «${since}»: изменена ${which}`);
        flagged.add(chain);
      } else {
        lastGood.set(chain, Math.max(lastGood.get(chain) ?? 0, id));
      }
    }
  }
  return findings;
}
