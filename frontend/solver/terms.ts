/**
 * The solver's internal terms. Ground values (strings and ground lists) are interned to
 * non-negative integers, so equality is `===` and answers are small integer tuples. A variable is
 * a negative integer `-1 - slot`, the slot indexing the bindings array of one clause activation.
 * Lists that still contain variables are `ListTerm` objects (rare: entrypoint/cmd arguments).
 */
import type { IRTerm } from '../language/ir';

interface ListTerm {
  items: Term[];
}
export type Term = number | ListTerm;
export type Bindings = (Term | undefined)[];

/**
 * The slots bound since some mark, to undo on backtracking. `slots` only grows (shrinking an
 * array's length on every undo made V8 reallocate it on the next push); `top` is its real length.
 */
export class Trail {
  readonly slots: number[] = [];
  top = 0;

  push(slot: number): void {
    if (this.top < this.slots.length) this.slots[this.top] = slot;
    else this.slots.push(slot);
    this.top++;
  }
}

export class Interner {
  private readonly strings = new Map<string, number>();
  private readonly lists = new Map<string, number>();
  /** id → string value, or the item ids of a ground list. */
  private readonly values: (string | number[])[] = [];
  /** id → its shared IR constant, made on first use (kept as long as `values`, so never holey). */
  private readonly constants: (IRTerm | undefined)[] = [];

  string(value: string): number {
    return this.strings.get(value) ?? this.add(this.strings, value, value);
  }

  list(items: number[]): number {
    const key = items.join(',');
    return this.lists.get(key) ?? this.add(this.lists, key, items);
  }

  private add(index: Map<string, number>, key: string, value: string | number[]): number {
    const id = this.values.length;
    this.values.push(value);
    this.constants.push(undefined);
    index.set(key, id);
    return id;
  }

  /** The string value of a ground id, undefined for a list. */
  text(id: number): string | undefined {
    const v = this.values[id];
    return typeof v === 'string' ? v : undefined;
  }

  /** The item ids of a ground list id, undefined for a string. */
  listItems(id: number): number[] | undefined {
    const v = this.values[id];
    return typeof v === 'string' ? undefined : v;
  }

  /** The IR term of a ground id. Constants are made once per id and shared (IR terms are never changed). */
  toIR(id: number): IRTerm {
    const v = this.values[id]!;
    if (typeof v === 'string') return (this.constants[id] ??= { kind: 'const', value: v });
    return { kind: 'list', items: v.map((item) => this.toIR(item)) };
  }
}

export function variableAt(slot: number): number {
  return -1 - slot;
}

export function deref(term: Term, bind: Bindings): Term {
  let t = term;
  while (typeof t === 'number' && t < 0) {
    const v = bind[-1 - t];
    if (v === undefined) return t;
    t = v;
  }
  return t;
}

/** Unifies two terms of one activation, recording every bound slot on `trail`. */
export function unify(a: Term, b: Term, bind: Bindings, trail: Trail): boolean {
  const x = deref(a, bind);
  const y = deref(b, bind);
  if (x === y) return true;
  if (typeof x === 'number' && x < 0) return bindVariable(x, y, bind, trail);
  if (typeof y === 'number' && y < 0) return bindVariable(y, x, bind, trail);
  // Two different ground values, or a ground value against a list with variables (not that list).
  if (typeof x === 'number' || typeof y === 'number') return false;
  if (x.items.length !== y.items.length) return false;
  for (let i = 0; i < x.items.length; i++) {
    if (!unify(x.items[i]!, y.items[i]!, bind, trail)) return false;
  }
  return true;
}

function bindVariable(variable: number, value: Term, bind: Bindings, trail: Trail): true {
  bind[-1 - variable] = value;
  trail.push(-1 - variable);
  return true;
}

/** Unifies a term with a ground id, which may be a ground list to match a ListTerm against. */
export function unifyGround(a: Term, id: number, bind: Bindings, trail: Trail, interner: Interner): boolean {
  const x = deref(a, bind);
  if (typeof x === 'number') {
    if (x === id) return true;
    if (x < 0) {
      bind[-1 - x] = id;
      trail.push(-1 - x);
      return true;
    }
    return false;
  }
  const items = interner.listItems(id);
  if (items === undefined || items.length !== x.items.length) return false;
  for (let i = 0; i < items.length; i++) {
    if (!unifyGround(x.items[i]!, items[i]!, bind, trail, interner)) return false;
  }
  return true;
}

export function undo(bind: Bindings, trail: Trail, mark: number): void {
  const slots = trail.slots;
  for (let i = trail.top - 1; i >= mark; i--) bind[slots[i]!] = undefined;
  trail.top = mark;
}

export function isGroundTerm(term: Term, bind: Bindings): boolean {
  const t = deref(term, bind);
  if (typeof t === 'number') return t >= 0;
  for (const item of t.items) if (!isGroundTerm(item, bind)) return false;
  return true;
}

/** The interned id of a ground term, or -1 when it still contains an unbound variable. */
export function groundId(term: Term, bind: Bindings, interner: Interner): number {
  const t = deref(term, bind);
  if (typeof t === 'number') return t >= 0 ? t : -1;
  const ids: number[] = [];
  for (const item of t.items) {
    const id = groundId(item, bind, interner);
    if (id < 0) return -1;
    ids.push(id);
  }
  return interner.list(ids);
}

/** A clause-relative term moved to start at slot `offset` of a larger activation. */
export function shiftTerm(term: Term, offset: number): Term {
  if (typeof term === 'number') return term < 0 ? term - offset : term;
  return { items: term.items.map((item) => shiftTerm(item, offset)) };
}
