import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeQueueStoreContract } from '../../queue-store-contract';
import { sqliteQueue } from './sqlite-queue';

const directories: string[] = [];

describeQueueStoreContract(
  'sqliteQueue',
  () => {
    const directory = mkdtempSync(join(tmpdir(), 'capi-kit-sqlite-contract-'));
    directories.push(directory);
    return sqliteQueue({ path: join(directory, 'queue.db'), leaseMs: 60_000 });
  },
  {
    leaseMs: 60_000,
    cleanup: () => {
      for (const directory of directories.splice(0))
        rmSync(directory, { recursive: true, force: true });
    },
  },
);
