import type { z } from 'zod';
import type { Permission } from '../roles';

export interface MethodDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  /** True for methods that change data: the transport may retry only the others. */
  writes: boolean;
  /** One line for the contract listing and the CLI. */
  summary: string;
}

export function query<I extends z.ZodType, O extends z.ZodType>(
  permission: Permission,
  input: I,
  output: O,
  summary: string,
): MethodDefinition<I, O> {
  return { input, output, permission, writes: false, summary };
}

export function command<I extends z.ZodType, O extends z.ZodType>(
  permission: Permission,
  input: I,
  output: O,
  summary: string,
): MethodDefinition<I, O> {
  return { input, output, permission, writes: true, summary };
}
