// The journal page's state is immutable: a keystroke copies the page's map of marks (about a
// thousand cells) and changes one entry. The grid then needs the rows that changed; comparing
// every entry of two copies took longer than drawing the row. A copy made as an EditedMap
// remembers the keys set or deleted in it, and those of the copies it was made from.

/** Past this many copies in a row the next one starts afresh: each copy keeps the one before it alive. */
const MAX_CHAIN = 8;

export class EditedMap<K, V> extends Map<K, V> {
  /** Keys set or deleted since the copy (undefined until the constructor has copied the entries). */
  private edits?: Set<K>;
  private readonly base: ReadonlyMap<K, V> | null;
  private readonly depth: number;

  constructor(from: ReadonlyMap<K, V>) {
    super();
    // Entry by entry through Map's own set: handing `from` to super() would go through the
    // iterator and the override below, several times slower for a page of a thousand cells.
    from.forEach((value, key) => super.set(key, value));
    this.edits = new Set();
    const depth = from instanceof EditedMap ? from.depth + 1 : 0;
    this.base = depth < MAX_CHAIN ? from : null;
    this.depth = depth < MAX_CHAIN ? depth : 0;
  }

  override set(key: K, value: V): this {
    this.edits?.add(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.edits?.add(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of this.keys()) this.edits?.add(key);
    super.clear();
  }

  /** The keys whose entries may differ from those of `older`, or null when this map does not descend from it. */
  editedSince(older: ReadonlyMap<K, V>): Set<K> | null {
    if (older === this) return new Set();
    const keys = new Set(this.edits);
    if (this.base === older) return keys;
    const before = this.base instanceof EditedMap ? (this.base as EditedMap<K, V>).editedSince(older) : null;
    if (before === null) return null;
    for (const key of before) keys.add(key);
    return keys;
  }
}
