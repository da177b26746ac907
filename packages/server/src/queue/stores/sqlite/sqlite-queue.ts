/**
 * The SQLite queue store: a durable outbox in one file for one long-running relay process. An event
 * acknowledged by the relay is in the file, so a crash, `kill -9` or deploy loses nothing; on the
 * next start every unfinished item is due again (at-least-once; the platforms' event-ID dedup turns
 * the rare duplicate into exactly-once counting).
 *
 * Durability choice: WAL journal with `synchronous=NORMAL` by default. In WAL mode a commit is a
 * `write()` of the transaction into the `-wal` file; NORMAL skips the `fsync` per commit and syncs
 * at checkpoints instead. Data handed to the kernel survives the death of the process (`kill -9`,
 * OOM killer, uncaught exception), which is the failure this store promises to survive; only an
 * OS crash or power loss can roll back the last commits (never corrupt the file). See
 * https://www.sqlite.org/pragma.html#pragma_synchronous and https://www.sqlite.org/wal.html.
 * `synchronous: 'full'` adds the per-commit fsync for machines where power loss matters, at a
 * large cost in ingest rate, which group commits (below) keep bearable.
 *
 * Group commit: `enqueue` calls made in the same tick of the event loop are written in one
 * transaction, so a burst of beacons costs one commit, not one per request.
 */
import { ConfigError } from '@capi-kit/core';
import { QueueRejectedError } from '../../queue-errors';
import type {
  DeadLetter,
  NewQueueItem,
  QueueCounts,
  QueueItem,
  QueueStore,
} from '../../queue-store';
import {
  loadBetterSqlite3,
  type SqliteDatabase,
  type SqliteDatabaseConstructor,
} from './sqlite-driver';

/** Settings of `sqliteQueue`. */
export interface SqliteQueueOptions {
  /** The database file; created with its tables when missing. `':memory:'` works for tests but is not durable. */
  path: string;
  /** How long to wait for a lock held by another connection before failing [5 000 ms]. */
  busyTimeoutMs?: number;
  /** How long a claim may stay unanswered before its items are claimable again [60 000 ms]. */
  leaseMs?: number;
  /**
   * Most items waiting, retrying or in flight at once [5 000 000]; past it `enqueue` refuses with
   * `QueueRejectedError('full')`. The default holds a one-hour outage at well over 1 000 events/s
   * per destination while bounding the disk it can take.
   */
  maxQueued?: number;
  /**
   * `'normal'` [default] survives a crash of the process; `'full'` also survives an OS crash or
   * power loss, at the cost of an fsync per commit.
   */
  synchronous?: 'normal' | 'full';
  /**
   * Dead and expired items kept per destination for inspection, the oldest dropped first
   * [100 000]. Bounds the file when a destination rejects everything for days (a revoked token).
   */
  maxDeadLetters?: number;
  /**
   * The better-sqlite3 constructor. Loaded lazily when omitted; pass it when a bundler cannot follow
   * that lazy load (Next.js/Turbopack, webpack):
   * `import Database from 'better-sqlite3'; sqliteQueue({ path, driver: Database })`.
   */
  driver?: SqliteDatabaseConstructor;
}

const SCHEMA_VERSION = 1;

// Live items only; a dead or expired item moves to the dead-letter table, so claims never walk
// over the (possibly long) history of failures. `available_at` is when the row may be claimed:
// 0 for a new row, the retry time for a retrying row, the lease end for an in-flight row. One
// index on it makes claim and nextDueAt a range read whatever the backlog. AUTOINCREMENT so a key
// is never reused: a late `ack` from an expired lease can only ever hit the item it was given.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS capi_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  destination_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  enqueued_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'retrying', 'inflight')),
  available_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS capi_queue_due ON capi_queue (destination_id, available_at, seq);
CREATE TABLE IF NOT EXISTS capi_dead_letters (
  seq INTEGER PRIMARY KEY,
  destination_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('dead', 'expired')),
  reason TEXT NOT NULL,
  settled_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS capi_dead_letters_recent ON capi_dead_letters (settled_at, seq);
CREATE INDEX IF NOT EXISTS capi_dead_letters_destination
  ON capi_dead_letters (destination_id, settled_at, seq);
`;

/** What a claim reads of a live row: only the columns a `QueueItem` is built from. */
interface ClaimRow {
  seq: number;
  event_id: string;
  event_name: string;
  event_time: number;
  expires_at: number;
  payload: string;
  attempts: number;
  enqueued_at: number;
}

interface QueueRow extends ClaimRow {
  destination_id: string;
}

interface DeadLetterRow extends QueueRow {
  state: string;
  reason: string;
  settled_at: number;
}

interface PendingEnqueue {
  rows: unknown[][];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The page cache of the connection, in KiB (a negative `cache_size`). better-sqlite3 compiles
 * SQLite with a 16 MB default, all of it outside the JS heap and never handed back while the file
 * is open. The queue's hot pages are few (the tail of the table where inserts land, the due index);
 * a claim that reads older rows during a backlog reads them from the OS page cache, which is not
 * this process's memory. 2 MB is SQLite's own default.
 */
const PAGE_CACHE_KIB = 2_000;

/**
 * A list of keys is bound as one JSON array and read with `json_each`, so each statement over keys
 * has a single shape, prepared once. Binding one `?` per key made a statement per list length (up
 * to 500 of them per kind, each holding a compiled program of several KB in native memory for
 * the life of the connection) and split long lists into chunks.
 */
const KEY_LIST = 'SELECT value FROM json_each(?)';

function toItem(row: ClaimRow, destinationId: string): QueueItem {
  return {
    key: String(row.seq),
    destinationId,
    eventId: row.event_id,
    eventName: row.event_name,
    eventTime: row.event_time,
    expiresAt: row.expires_at,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    enqueuedAt: row.enqueued_at,
  };
}

/** The keys as the JSON array `KEY_LIST` reads, or undefined when none is one of ours. */
function parseKeys(keys: readonly string[]): string | undefined {
  const result: number[] = [];
  for (const key of keys) {
    // Keys this store did not hand out are ignored, like keys already acked.
    if (/^\d{1,15}$/.test(key)) result.push(Number(key));
  }
  return result.length === 0 ? undefined : JSON.stringify(result);
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`sqliteQueue: \`${name}\` must be a positive number, got ${value}`);
  }
  return value;
}

/**
 * Creates a durable `QueueStore` in a SQLite file (better-sqlite3, an optional peer dependency).
 * One relay process per file: opening the file releases the claims a previous (crashed) process
 * left in flight, so they are delivered again right away instead of after `leaseMs`.
 *
 * @example
 * import { createRelay } from '@capi-kit/server';
 * import { sqliteQueue } from '@capi-kit/server/sqlite';
 * const relay = createRelay({ destinations, queue: sqliteQueue({ path: './capi-kit-queue.db' }) });
 * process.once('SIGTERM', () => void relay.close().then(() => process.exit(0)));
 */
export function sqliteQueue(options: SqliteQueueOptions): QueueStore {
  if (!options || typeof options.path !== 'string' || options.path === '') {
    throw new ConfigError('sqliteQueue: `path` (the database file) is required');
  }
  const busyTimeoutMs = positiveInteger(options.busyTimeoutMs, 5_000, 'busyTimeoutMs');
  const leaseMs = positiveInteger(options.leaseMs, 60_000, 'leaseMs');
  const maxQueued = positiveInteger(options.maxQueued, 5_000_000, 'maxQueued');
  const maxDeadLetters = positiveInteger(options.maxDeadLetters, 100_000, 'maxDeadLetters');
  // Pruning walks the kept letters of a destination, so do it once per this many settled items
  // (at most 1 000 extra letters linger between prunes; none when the limit is small).
  const pruneEvery = Math.min(1_000, Math.max(1, Math.ceil(maxDeadLetters / 100)));
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new ConfigError("sqliteQueue: `synchronous` must be 'normal' or 'full'");
  }

  const Database = options.driver ?? loadBetterSqlite3();
  let db: SqliteDatabase;
  try {
    db = new Database(options.path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new ConfigError(
      `sqliteQueue: cannot open ${options.path} (${(error as Error)?.message ?? String(error)}); ` +
        'check that its directory exists and is writable',
      { cause: error },
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // Keeps the -wal file from staying at its high-water mark after a large backlog drains.
    db.pragma('journal_size_limit = 67108864');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new ConfigError(
        `sqliteQueue: ${options.path} was written by a newer capi-kit (schema ${version}); upgrade @capi-kit/server`,
      );
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  } catch (error) {
    db.close();
    throw error;
  }

  const insert = db.prepare(
    `INSERT INTO capi_queue (destination_id, event_id, event_name, event_time, expires_at, payload,
       attempts, enqueued_at, state, available_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'queued', 0)`,
  );
  // Only the columns of a QueueItem: the destination is the one asked for, and the state, due
  // time and last error are not handed out (fewer strings made per claimed row).
  const selectDue = db.prepare(
    `SELECT seq, event_id, event_name, event_time, expires_at, payload, attempts, enqueued_at
     FROM capi_queue WHERE destination_id = ? AND available_at <= ?
     ORDER BY available_at, seq LIMIT ?`,
  );
  const markInFlight = db.prepare(
    `UPDATE capi_queue SET state = 'inflight', available_at = ? WHERE seq = ?`,
  );
  const selectNextDue = db.prepare(
    `SELECT state, available_at, enqueued_at FROM capi_queue WHERE destination_id = ?
     ORDER BY available_at, seq LIMIT 1`,
  );
  const countLive = db.prepare(`SELECT count(*) AS n FROM capi_queue`);
  const deleteLive = db.prepare(`DELETE FROM capi_queue WHERE seq IN (${KEY_LIST})`);
  const markRetrying = db.prepare(
    `UPDATE capi_queue SET state = 'retrying', attempts = attempts + 1, available_at = ?,
       last_error = ? WHERE seq IN (${KEY_LIST})`,
  );
  const copyToDeadLetters = db.prepare(
    `INSERT OR REPLACE INTO capi_dead_letters (seq, destination_id, event_id, event_name,
       event_time, expires_at, payload, attempts, enqueued_at, state, reason, settled_at)
     SELECT seq, destination_id, event_id, event_name, event_time, expires_at, payload,
       attempts, enqueued_at, ?, ?, ? FROM capi_queue WHERE seq IN (${KEY_LIST})`,
  );
  const selectDestinationsOf = db.prepare(
    `SELECT DISTINCT destination_id AS id FROM capi_queue WHERE seq IN (${KEY_LIST})`,
  );
  const countLiveByState = db.prepare(
    `SELECT destination_id AS id, state, count(*) AS n FROM capi_queue GROUP BY destination_id, state`,
  );
  const countDeadByState = db.prepare(
    `SELECT destination_id AS id, state, count(*) AS n FROM capi_dead_letters GROUP BY destination_id, state`,
  );
  const selectDeadLetters = db.prepare(
    `SELECT * FROM capi_dead_letters ORDER BY settled_at DESC, seq DESC LIMIT ?`,
  );
  const selectDeadLettersOf = db.prepare(
    `SELECT * FROM capi_dead_letters WHERE destination_id = ?
     ORDER BY settled_at DESC, seq DESC LIMIT ?`,
  );

  const insertMany = db.transaction((batch: PendingEnqueue[]) => {
    for (const pending of batch) for (const row of pending.rows) insert.run(...row);
  });
  const claimTransaction = db.transaction(
    (destinationId: string, max: number, now: number): ClaimRow[] => {
      const rows = selectDue.all(destinationId, now, max) as ClaimRow[];
      const leaseEnd = now + leaseMs;
      for (const row of rows) markInFlight.run(leaseEnd, row.seq);
      return rows;
    },
  );
  // Each one statement, so each its own implicit transaction.
  const deleteKeys = (seqs: string): number => Number(deleteLive.run(seqs).changes);
  const retryKeys = (seqs: string, availableAt: number, reason: string): void => {
    markRetrying.run(availableAt, reason, seqs);
  };
  const settleKeys = db.transaction(
    (seqs: string, state: 'dead' | 'expired', reason: string, now: number): number => {
      copyToDeadLetters.run(state, reason, now, seqs);
      return Number(deleteLive.run(seqs).changes);
    },
  );

  const pruneDeadLetters = db.prepare(
    `DELETE FROM capi_dead_letters WHERE seq IN (
       SELECT seq FROM capi_dead_letters WHERE destination_id = ?
       ORDER BY settled_at DESC, seq DESC LIMIT -1 OFFSET ?)`,
  );
  const settledSincePrune = new Map<string, number>();
  const selectDestinations = (seqs: string): string[] =>
    (selectDestinationsOf.all(seqs) as { id: string }[]).map((row) => row.id);

  // A previous process that died (kill -9, OOM) left its claims in flight; nothing is sending them
  // any more, so they are due now rather than after the rest of their lease.
  db.prepare(
    `UPDATE capi_queue SET state = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END,
       available_at = 0 WHERE state = 'inflight'`,
  ).run();

  // Live rows, kept in memory so the capacity check costs nothing per enqueue.
  let live = Number((countLive.get() as { n: number }).n);
  let pending: PendingEnqueue[] = [];
  let pendingCount = 0;
  let commitScheduled = false;
  let closed = false;

  function commitPending(): void {
    commitScheduled = false;
    const batch = pending;
    const count = pendingCount;
    pending = [];
    pendingCount = 0;
    if (batch.length === 0) return;
    try {
      insertMany(batch);
    } catch (error) {
      // The transaction rolled back as a whole: nothing of this batch is stored.
      for (const entry of batch) entry.reject(error);
      return;
    }
    live += count;
    for (const entry of batch) entry.resolve();
  }

  return {
    kind: 'sqlite',

    enqueue(items: readonly NewQueueItem[]): Promise<void> {
      if (closed) {
        return Promise.reject(new QueueRejectedError('closed', 'the SQLite queue is closed'));
      }
      if (items.length === 0) return Promise.resolve();
      if (live + pendingCount + items.length > maxQueued) {
        return Promise.reject(
          new QueueRejectedError(
            'full',
            `the SQLite queue is full (${live + pendingCount} of ${maxQueued} items)`,
          ),
        );
      }
      const enqueuedAt = Date.now();
      let rows: unknown[][];
      try {
        rows = items.map((item) => {
          const payload = JSON.stringify(item.payload);
          if (payload === undefined) throw new TypeError('queue item payload is not JSON');
          return [
            item.destinationId,
            item.eventId,
            item.eventName,
            item.eventTime,
            item.expiresAt,
            payload,
            enqueuedAt,
          ];
        });
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        pending.push({ rows, resolve, reject });
        pendingCount += rows.length;
        if (!commitScheduled) {
          commitScheduled = true;
          setImmediate(commitPending);
        }
      });
    },

    async claim(destinationId: string, max: number, now: number): Promise<QueueItem[]> {
      if (closed || max <= 0) return [];
      // SQLite's LIMIT -1 means no limit: `claim(id, Infinity, now)` takes everything due.
      const limit = Number.isFinite(max) ? Math.floor(max) : -1;
      return claimTransaction(destinationId, limit, now).map((row) => toItem(row, destinationId));
    },

    async ack(keys: readonly string[]): Promise<void> {
      // After close, an answer that arrives late leaves its item in the file: it is sent again on
      // the next start, which is the at-least-once promise, instead of throwing into the relay.
      if (closed) return;
      const seqs = parseKeys(keys);
      if (seqs !== undefined) live -= deleteKeys(seqs);
    },

    async retry(keys: readonly string[], availableAt: number, reason: string): Promise<void> {
      if (closed) return;
      const seqs = parseKeys(keys);
      if (seqs !== undefined) retryKeys(seqs, availableAt, reason);
    },

    async settle(keys, state, reason, now): Promise<void> {
      if (closed) return;
      const seqs = parseKeys(keys);
      if (seqs === undefined) return;
      const destinations = selectDestinations(seqs);
      const settled = settleKeys(seqs, state, reason, now);
      live -= settled;
      for (const destinationId of destinations) {
        const count = (settledSincePrune.get(destinationId) ?? 0) + settled;
        if (count < pruneEvery) {
          settledSincePrune.set(destinationId, count);
          continue;
        }
        settledSincePrune.set(destinationId, 0);
        pruneDeadLetters.run(destinationId, maxDeadLetters);
      }
    },

    async nextDueAt(destinationId: string): Promise<number | undefined> {
      if (closed) return undefined;
      const row = selectNextDue.get(destinationId) as
        { state: string; available_at: number; enqueued_at: number } | undefined;
      if (!row) return undefined;
      // A new item is due since it was enqueued (as in the memory store); the others at their time.
      return row.state === 'queued' && row.available_at === 0 ? row.enqueued_at : row.available_at;
    },

    async counts(): Promise<Record<string, QueueCounts>> {
      const result: Record<string, QueueCounts> = {};
      if (closed) return result;
      const countsFor = (id: string): QueueCounts =>
        (result[id] ??= { queued: 0, inFlight: 0, retrying: 0, dead: 0, expired: 0 });
      const liveRows = countLiveByState.all() as { id: string; state: string; n: number }[];
      for (const { id, state, n } of liveRows) {
        const counts = countsFor(id);
        if (state === 'inflight') counts.inFlight += n;
        else if (state === 'retrying') counts.retrying += n;
        else counts.queued += n;
      }
      const deadRows = countDeadByState.all() as {
        id: string;
        state: 'dead' | 'expired';
        n: number;
      }[];
      for (const { id, state, n } of deadRows) countsFor(id)[state] += n;
      return result;
    },

    async deadLetters(query = {}): Promise<DeadLetter[]> {
      if (closed) return [];
      const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit));
      const rows = (
        query.destinationId === undefined
          ? selectDeadLetters.all(limit)
          : selectDeadLettersOf.all(query.destinationId, limit)
      ) as DeadLetterRow[];
      return rows.map((row) => ({
        ...toItem(row, row.destination_id),
        state: row.state as 'dead' | 'expired',
        reason: row.reason,
        settledAt: row.settled_at,
      }));
    },

    async close(): Promise<void> {
      if (closed) return;
      // Enqueues already accepted in this tick were promised a commit: write them first.
      commitPending();
      closed = true;
      // Closing checkpoints the WAL into the main file; in-flight and waiting items stay for the next start.
      db.close();
    },
  };
}
