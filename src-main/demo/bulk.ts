import { CompiledQuery, type Insertable } from 'kysely';
import type { Engine, Tx } from '../store/database';
import type { Database } from '../store/schema';

// Multi-row inserts for the generator. Kysely's builder makes an object per value, which
// costs more than the database for millions of rows; the SQL text here is made once per
// table and row count and the values go as parameters. PostgreSQL gets one array per
// column (`unnest`): a few parameters a statement instead of tens of thousands to bind.

/** SQLite allows 32 766 parameters a statement, PostgreSQL 65 535. */
const PARAMETER_LIMIT: Record<Engine, number> = { sqlite: 32_766, postgres: 65_535 };
const POSTGRES_ROWS_PER_STATEMENT = 20_000;

export type Row<T extends keyof Database> = Required<Insertable<Database[T]>>;
type Value = string | number | null;

export class BulkWriter {
  private readonly sqlCache = new Map<string, string>();
  private readonly columnTypes = new Map<string, Map<string, string>>();
  /** Rows written per table, for the summary and the bench. */
  readonly counts = new Map<string, number>();

  constructor(
    private readonly tx: Tx,
    private readonly engine: Engine,
  ) {}

  /** Inserts rows given as value arrays in `columns` order. */
  async insert<T extends keyof Database & string>(
    table: T,
    columns: ReadonlyArray<keyof Insertable<Database[T]> & string>,
    rows: ReadonlyArray<readonly Value[]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    if (this.engine === 'postgres') {
      await this.insertByArrays(table, columns, rows);
      this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
      return;
    }
    const perStatement = Math.floor(PARAMETER_LIMIT[this.engine] / columns.length);
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const parameters: Value[] = new Array(chunk.length * columns.length);
      let i = 0;
      for (const row of chunk) for (const value of row) parameters[i++] = value;
      await this.tx.executeQuery(CompiledQuery.raw(this.statement(table, columns, chunk.length), parameters));
    }
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
  }

  private async insertByArrays(table: string, columns: readonly string[], rows: ReadonlyArray<readonly Value[]>): Promise<void> {
    const types = await this.typesOf(table);
    const casts = columns.map((column, i) => `$${i + 1}::${types.get(column) ?? 'text'}[]`);
    const text = `insert into ${table} (${columns.join(', ')}) select * from unnest(${casts.join(', ')})`;
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      const arrays = columns.map((_, c) => chunk.map((row) => row[c] ?? null));
      await this.tx.executeQuery(CompiledQuery.raw(text, arrays));
    }
  }

  /** Column types of a table as PostgreSQL names them ('int4', 'text', 'float4'). */
  private async typesOf(table: string): Promise<Map<string, string>> {
    let types = this.columnTypes.get(table);
    if (!types) {
      const result = await this.tx.executeQuery<{ column_name: string; udt_name: string }>(
        CompiledQuery.raw('select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1', [table]),
      );
      types = new Map(result.rows.map((r) => [r.column_name, r.udt_name]));
      this.columnTypes.set(table, types);
    }
    return types;
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  private statement(table: string, columns: readonly string[], rowCount: number): string {
    const key = `${table}:${columns.join(',')}:${rowCount}`;
    let text = this.sqlCache.get(key);
    if (!text) {
      const parts: string[] = [];
      let n = 0;
      for (let r = 0; r < rowCount; r++) {
        const placeholders: string[] = [];
        for (let c = 0; c < columns.length; c++) placeholders.push(this.engine === 'postgres' ? `$${++n}` : '?');
        parts.push(`(${placeholders.join(',')})`);
      }
      text = `insert into ${table} (${columns.join(', ')}) values ${parts.join(',')}`;
      this.sqlCache.set(key, text);
    }
    return text;
  }
}
