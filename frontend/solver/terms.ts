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
  /**
   * id → its shared IR constant, made on first use. Grown (with undefined, so never holey) only
   * when an id past its end is asked for: most ids, such as an f-string's texts, never are.
   */
  private readonly constants: (IRTerm | undefined)[] = [];
  /**
   * id → 0 when the id is the one its value is interned as; for an id made by `loose`: -1 until
   * its value is looked up, then 1 + the interned id.
   */
  private looseness = new Int32Array(1024);

  string(value: string): number {
    return this.strings.get(value) ?? this.add(this.strings, value, value);
  }

  /**
   * An id for a string a builtin made, without looking it up: most such strings (f-string steps)
   * are only read back, never compared, so hashing each into the map would be wasted. Two ids of
   * one value are told equal by `same`, and `canonical` gives the interned id where one is needed
   * (table keys, answers, indexes).
   */
  loose(value: string): number {
    const id = this.push(value);
    this.looseness[id] = -1;
    return id;
  }

  /** The interned id of a ground id's value. */
  canonical(id: number): number {
    const state = this.looseness[id]!;
    if (state === 0) return id;
    if (state > 0) return state - 1;
    const value = this.values[id] as string;
    const found = this.strings.get(value);
    if (found === undefined) {
      this.strings.set(value, id);
      this.looseness[id] = 0;
      return id;
    }
    this.looseness[id] = found + 1;
    return found;
  }

  /** Whether two ground ids stand for the same value. */
  same(a: number, b: number): boolean {
    if (a === b) return true;
    if (this.looseness[a] === 0 && this.looseness[b] === 0) return false;
    return this.canonical(a) === this.canonical(b);
  }

  list(items: number[]): number {
    const key = items.join(',');
    return this.lists.get(key) ?? this.add(this.lists, key, items);
  }

  private add(index: Map<string, number>, key: string, value: string | number[]): number {
    const id = this.push(value);
    index.set(key, id);
    return id;
  }

  private push(value: string | number[]): number {
    const id = this.values.length;
    this.values.push(value);
    if (id >= this.looseness.length) {
      const grown = new Int32Array(this.looseness.length * 2);
      grown.set(this.looseness);
      this.looseness = grown;
    }
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
    if (typeof v === 'string') {
      const constants = this.constants;
      while (constants.length <= id) constants.push(undefined);
      return (constants[id] ??= { kind: 'const', value: v });
    }
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
export function unify(a: Term, b: Term, bind: Bindings, trail: Trail, interner: Interner): boolean {
  const x = deref(a, bind);
  const y = deref(b, bind);
  if (x === y) return true;
  if (typeof x === 'number' && x < 0) return bindVariable(x, y, bind, trail);
  if (typeof y === 'number' && y < 0) return bindVariable(y, x, bind, trail);
  if (typeof x === 'number' && typeof y === 'number') return interner.same(x, y);
  // A ground value against a list with variables (not that list).
  if (typeof x === 'number' || typeof y === 'number') return false;
  if (x.items.length !== y.items.length) return false;
  for (let i = 0; i < x.items.length; i++) {
    if (!unify(x.items[i]!, y.items[i]!, bind, trail, interner)) return false;
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
    return interner.same(x, id);
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
  if (typeof t === 'number') return t >= 0 ? interner.canonical(t) : -1;
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
