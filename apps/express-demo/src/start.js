// `pnpm start`: runs the demo shop on PORT (default 3000) until SIGINT/SIGTERM, then closes the
// relay so queued events are delivered or left safely in the SQLite queue.
import { startExpressDemo } from './server.js';

const demo = await startExpressDemo({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  queuePath: process.env.QUEUE_PATH ?? 'express-demo-queue.sqlite',
});
console.log(`capi-kit Express demo on ${demo.url}`);
if (demo.fakes)
  console.log(`fake platforms on ${demo.fakes.url} (state: ${demo.fakes.url}/__fake/state)`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
