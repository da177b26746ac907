/**
 * `@capi-kit/server/sqlite`: the durable queue store for one long-running relay process. Events
 * wait in a SQLite file (WAL mode, group commits) between the collect response and their delivery,
 * so a crash or deploy loses none of them. Needs the optional peer dependency `better-sqlite3`.
 */
export { sqliteQueue, type SqliteQueueOptions } from './sqlite-queue';
