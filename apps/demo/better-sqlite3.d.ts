// better-sqlite3 ships no types and the demo only hands its constructor to `sqliteQueue`, whose
// own `driver` type describes it; this keeps @types/better-sqlite3 out of the demo's dependencies.
declare module 'better-sqlite3';
