import type { z } from 'zod';
import { accountsContract } from './accounts';
import { authContract } from './auth';
import { backupContract } from './backup';
import type { MethodDefinition } from './define';
import { printingContract } from './printing';
import { reportsContract } from './reports';
import { journalContract } from './journal';
import { parentsContract } from './parents';
import { pcContract } from './pc';
import { schoolContract } from './school';
import { schoolFilesContract } from './school-files';
import { substitutionsContract } from './substitutions';

/**
 * The one contract (ARCHITECTURE.md principle 2). Every method the renderer, the CLI or
 * the bridge can call is declared here once; the handler registry, the preload allowlist
 * and the typed client are derived from it.
 */
export const contract = {
  ...authContract,
  ...accountsContract,
  ...backupContract,
  ...journalContract,
  ...parentsContract,
  ...pcContract,
  ...printingContract,
  ...reportsContract,
  ...schoolContract,
  ...schoolFilesContract,
  ...substitutionsContract,
} satisfies Record<string, MethodDefinition>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
