import type { MethodName, MethodOutput, ParsedInput } from '../../src-shared/contract/index';
import type { HandlerContext } from './context';

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  ctx: HandlerContext,
) => Promise<MethodOutput<M>>;

export type HandlerMap<M extends MethodName> = { [K in M]: Handler<K> };

/** Typed per domain: a domain's file declares exactly the methods it serves. */
export function defineHandlers<M extends MethodName>(handlers: HandlerMap<M>): HandlerMap<M> {
  return handlers;
}
