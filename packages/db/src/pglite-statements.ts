import {
  type PGlite,
  parse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
  types,
} from "@electric-sql/pglite";

/** The backend messages read here (PGlite's parser makes them; its types are not exported by name). */
type BackendMessage = { name: string };
type RowDescription = { name: "rowDescription"; fields: { name: string; dataTypeID: number }[] };
type DataRow = { name: "dataRow"; fields: (string | null)[] };
type CommandComplete = { name: "commandComplete"; text: string };
type Parser = (value: string, typeId: number) => unknown;
type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

/** Statements kept per database (each holds a plan in the WASM heap, which never shrinks). */
const MAX_STATEMENTS = 128;

interface Statement {
  name: string;
  paramTypes: number[];
}

/**
 * Prepared statements for PGlite, the way postgres.js prepares every query on PostgreSQL: the first run of a
 * query text parses and describes it as a named statement, later runs only bind and execute it, so
 * PostgreSQL plans a statement once (its plan cache then picks a generic plan when that is no worse) instead
 * of parsing, analysing and planning it on every call. The worker's claim, for one, spent about half its
 * time being planned. Each run is also one call into the WASM module (Bind, Describe, Execute and Sync in one
 * buffer) instead of PGlite's six.
 *
 * `install` replaces the client's `query` (and the `query` of every transaction it opens), which is what
 * drizzle calls; `exec` (simple queries: migrations, BEGIN/COMMIT) is left alone.
 */
export function installPreparedStatements(client: PGlite): void {
  const statements = new Map<string, Statement>();
  let counter = 0;
  const encoder = protocol.serialize;

  async function prepare(text: string, options: QueryOptions | undefined): Promise<Statement> {
    const known = statements.get(text);
    if (known) {
      // Most recently used last: the first entry is the one to evict.
      statements.delete(text);
      statements.set(text, known);
      return known;
    }
    counter += 1;
    const name = `ib_${counter}`;
    const { messages } = await client.execProtocol(
      concat([
        encoder.parse({ name, text, types: options?.paramTypes }),
        encoder.describe({ type: "S", name }),
        encoder.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    if (statements.size > MAX_STATEMENTS) {
      const [oldestText, oldest] = statements.entries().next().value as [string, Statement];
      statements.delete(oldestText);
      await client.execProtocol(concat([encoder.close({ type: "S", name: oldest.name }), encoder.sync()]), {
        syncToFs: false,
      });
    }
    return statement;
  }

  async function run<T>(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean) {
    return client._runExclusiveQuery(async () => {
      let messages: BackendMessage[];
      try {
        messages = await execute(await prepare(text, options), params, options);
      } catch (error) {
        // DDL changed what a kept statement returns ("cached plan must not change result type"): prepare again.
        if (!isStalePlan(error)) throw withQuery(error, text, params, options);
        await forget(text);
        // Inside a transaction the error has aborted it: the next run prepares the statement again.
        if (inTransaction) throw withQuery(error, text, params, options);
        try {
          messages = await execute(await prepare(text, options), params, options);
        } catch (retryError) {
          throw withQuery(retryError, text, params, options);
        }
      }
      if (!inTransaction) await client.syncToFs();
      return toResults<T>(messages, client.parsers as Record<number, Parser>, options);
    });
  }

  async function execute(statement: Statement, params: unknown[], options: QueryOptions | undefined) {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i] as number;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await client.execProtocol(
      concat([
        encoder.bind({ statement: statement.name, values }),
        encoder.describe({ type: "P" }),
        encoder.execute({}),
        encoder.sync(),
      ]),
      { syncToFs: false },
    );
    return messages;
  }

  async function forget(text: string) {
    const statement = statements.get(text);
    if (!statement) return;
    statements.delete(text);
    await client
      .execProtocol(concat([encoder.close({ type: "S", name: statement.name }), encoder.sync()]), { syncToFs: false })
      .catch(() => {});
  }

  const query: Query = async (text, params = [], options) => {
    await client._checkReady();
    return client._runExclusiveTransaction(() => run(text, params, options, false));
  };
  (client as { query: Query }).query = query;

  const transaction = client.transaction.bind(client);
  (client as { transaction: PGlite["transaction"] }).transaction = (fn) =>
    transaction((tx) => {
      const txQuery: Query = async (text, params = [], options) => {
        if (tx.closed) throw new Error("Transaction is closed");
        return run(text, params, options, true);
      };
      const wrapped: Transaction = {
        query: txQuery,
        sql: tx.sql,
        exec: tx.exec,
        rollback: tx.rollback,
        listen: tx.listen,
        get closed() {
          return tx.closed;
        },
      };
      return fn(wrapped);
    });
}

/**
 * The result of one extended-protocol query, as PGlite's `parseResults` shapes it, with each column's parser
 * looked up once per query (`parseResults` copies the whole parser table on every call that passes its own
 * parsers, which drizzle always does: about a tenth of the engine's CPU under load).
 */
function toResults<T>(
  messages: BackendMessage[],
  defaults: Record<number, Parser>,
  options?: QueryOptions,
): Results<T> {
  const own = options?.parsers as Record<number, Parser> | undefined;
  const fallback = types.parsers as Record<number, Parser>;
  const asArray = options?.rowMode === "array";
  let fields: { name: string; dataTypeID: number }[] = [];
  let parsers: (Parser | undefined)[] = [];
  const rows: unknown[] = [];
  for (const message of messages) {
    if (message.name === "rowDescription") {
      const description = message as RowDescription;
      fields = description.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
      parsers = fields.map((f) => own?.[f.dataTypeID] ?? defaults[f.dataTypeID] ?? fallback[f.dataTypeID]);
    } else if (message.name === "dataRow") {
      const values = (message as DataRow).fields.map((value, i) => {
        if (value === null) return null;
        const parser = parsers[i];
        return parser ? parser(value, (fields[i] as { dataTypeID: number }).dataTypeID) : value;
      });
      if (asArray) rows.push(values);
      else {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < values.length; i++) row[(fields[i] as { name: string }).name] = values[i];
        rows.push(row);
      }
    } else if (message.name === "commandComplete") {
      const words = (message as CommandComplete).text.split(" ");
      const command = words[0] as string;
      const count = Number.parseInt(words[words.length - 1] as string, 10);
      const counted = ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"].includes(command);
      const result: Results<T> = { rows: rows as T[], fields, affectedRows: counted ? count : 0 };
      if (!Number.isNaN(count)) (result as { rowCount?: number }).rowCount = count;
      return result;
    }
  }
  return { rows: rows as T[], fields, affectedRows: 0 };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function isStalePlan(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: string }).code === "0A000" &&
    String((error as { message?: string }).message).includes("cached plan")
  );
}

/** What PGlite's own `query` attaches to a database error. */
function withQuery(error: unknown, query: string, params: unknown[], options: QueryOptions | undefined): unknown {
  if (error instanceof protocol.messages.DatabaseError) {
    Object.assign(error, { query, params, queryOptions: options });
  }
  return error;
}
