import type { Db } from '../store/database';

/**
 * «Классный руководитель» follows from being assigned to a class (issue «Foundation» §4).
 * Classes arrive with «School setup»; until its tables exist this answers "none".
 */
export type ClassTeacherLookup = (db: Db, userId: number) => Promise<Array<{ id: number; name: string }>>;

export const classesLedBy: ClassTeacherLookup = async () => [];
