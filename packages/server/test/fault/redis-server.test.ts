import { describe, expect, it } from 'vitest';
import { redisServerAvailable, startRedisServer } from './redis-server';

describe.runIf(redisServerAvailable('the redis-server helper test'))('startRedisServer', () => {
  it('moves to another port when its port is taken, and stops by pid', async () => {
    const first = await startRedisServer();
    const second = await startRedisServer({ port: first.port });
    try {
      expect(second.port).not.toBe(first.port);
      expect(second.pid).not.toBe(first.pid);
    } finally {
      await second.stop();
      await first.stop();
    }
    expect(() => process.kill(first.pid, 0)).toThrow();
    expect(() => process.kill(second.pid, 0)).toThrow();
  }, 40_000);
});
