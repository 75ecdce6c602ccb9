import type { z } from 'zod';
import { accountsContract } from './accounts';
import { authContract } from './auth';
import { backupContract } from './backup';
import { extractsContract } from './extracts';
import type { MethodDefinition } from './define';
import { jobsContract } from './jobs';
import { printingContract } from './printing';
import { reportsContract } from './reports';
import { journalContract } from './journal';
import { parentsContract } from './parents';
import { pcContract } from './pc';
import { plansContract } from './plans';
import { schoolContract } from './school';
import { schoolFilesContract } from './school-files';
import { substitutionsContract } from './substitutions';

/**
 * The one contract (docs/architecture.md principle 2). Every method the renderer, the CLI or
 * the bridge can call is declared here once; the handler registry, the preload allowlist
 * and the typed client are derived from it.
 */
export const contract = {
  ...authContract,
  ...accountsContract,
  ...backupContract,
  ...extractsContract,
  ...jobsContract,
  ...journalContract,
  ...parentsContract,
  ...pcContract,
  ...plansContract,
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
