import type { VarScope } from '@tandem/config';
import type { RequestView, TxnState, VarValue } from './request-view.types.js';

/**
 * The transaction state rules write (variables, captures, log level, timeouts). The proxy gives each request view
 * one, with the connection's `sess.` map and the process's `proc.` map; a view without one (unit tests, the
 * connection-time view) gets a private state, kept for the view's lifetime.
 */
const PROC = new Map<string, VarValue>();
const fallback = new WeakMap<RequestView, TxnState>();

export function newTxnState(sessVars: Map<string, VarValue> = new Map(), procVars: Map<string, VarValue> = PROC): TxnState {
  return new Txn(sessVars, procVars);
}

/** A transaction's state; its own variable map and capture list are made on first use (most requests use neither). */
class Txn implements TxnState {
  private ownVars: Map<string, VarValue> | undefined;
  private ownReqCaptures: (string | undefined)[] | undefined;
  private ownResCaptures: (string | undefined)[] | undefined;
  uniqueId?: string;
  logLevel?: string;
  serverTimeout?: number;
  tunnelTimeout?: number;

  constructor(
    readonly sessVars: Map<string, VarValue>,
    readonly procVars: Map<string, VarValue>,
  ) {}

  get vars(): Map<string, VarValue> {
    return (this.ownVars ??= new Map());
  }

  get reqCaptures(): (string | undefined)[] {
    return (this.ownReqCaptures ??= []);
  }

  get resCaptures(): (string | undefined)[] {
    return (this.ownResCaptures ??= []);
  }
}

export function txnOf(view: RequestView): TxnState {
  if (view.txn) return view.txn;
  let t = fallback.get(view);
  if (!t) fallback.set(view, (t = newTxnState()));
  return t;
}

function store(t: TxnState, scope: VarScope): Map<string, VarValue> {
  return scope === 'sess' ? t.sessVars : scope === 'proc' ? t.procVars : t.vars;
}

/** `var(<scope>.<name>)`: undefined when not set. */
export function readVar(view: RequestView, full: string): VarValue | undefined {
  const dot = full.indexOf('.');
  const scope = full.slice(0, dot) as VarScope;
  return store(txnOf(view), scope).get(full);
}

export function writeVar(view: RequestView, scope: VarScope, name: string, value: VarValue | undefined): void {
  const m = store(txnOf(view), scope);
  if (value === undefined) m.delete(`${scope}.${name}`);
  else m.set(`${scope}.${name}`, value);
}
