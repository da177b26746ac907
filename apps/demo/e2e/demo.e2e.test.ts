/**
 * End to end through the real demo: `next build`, `next start` on a free port (with the fakes
 * started in-process, as `pnpm demo` does), and real Chromium buying a product. The inspector must
 * then show the Purchase, under the event ID the server rendered, delivered to the Meta, Google
 * and TikTok fakes and paired with the pixel copies; with the ad-blocker switch on, the same
 * purchase must show as recovered by the server copy alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@capi-kit/testing/chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..', '..');
const nextBin = join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next');
// Headless Chromium says `HeadlessChrome` in its user agent, which the relay's bot filter rightly
// drops; the shopper in this test is a person, so the browser presents a regular Chrome.
const userAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let server: ChildProcess | undefined;
let serverLog = '';
let browser: Browser | undefined;
let baseUrl = '';
let dataDir = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function runNext(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

async function build(): Promise<void> {
  const child = runNext(['build'], { NODE_ENV: 'production' });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`);
}

async function waitForServer(url: string): Promise<void> {
  // Bounded by the hook timeout; the loop ends as soon as the shop answers.
  for (;;) {
    if (server?.exitCode !== null) throw new Error(`next start exited:\n${serverLog}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The production build is the default (it also proves `next build` works in CI);
// CAPI_KIT_DEMO_E2E_DEV=1 runs the same checks against `next dev`, the mode `pnpm demo` uses.
const devMode = Boolean(process.env.CAPI_KIT_DEMO_E2E_DEV);

beforeAll(async () => {
  browser = await launchChromium();
  if (!devMode) await build();
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'capi-kit-demo-e2e-'));
  server = runNext([devMode ? 'dev' : 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    PORT: String(port),
    // vitest sets NODE_ENV=test, which the child would inherit; the relay's production rules
    // (allowed origins, ledger token) must be the ones under test.
    NODE_ENV: devMode ? 'development' : 'production',
    CAPI_KIT_DEMO_DATA_DIR: dataDir,
    // The demo must run against the fakes even on a machine with a developer's .env.local.
    META_ACCESS_TOKEN: '',
    GA4_API_SECRET: '',
    GOOGLE_ADS_ACCESS_TOKEN: '',
    TIKTOK_ACCESS_TOKEN: '',
  });
  server.stdout?.on('data', (chunk) => (serverLog += String(chunk)));
  server.stderr?.on('data', (chunk) => (serverLog += String(chunk)));
  baseUrl = `http://127.0.0.1:${port}`;
  await waitForServer(baseUrl);
});

afterAll(async () => {
  await browser?.close();
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  // The server's output is a test artifact, for reading after a failure in CI.
  mkdirSync(join(appDir, 'test-results'), { recursive: true });
  writeFileSync(join(appDir, 'test-results', 'next-server.log'), serverLog);
});

/** Browse, add the first product to the cart, check out, and return the rendered Purchase ID. */
async function buyOneProduct(page: Page): Promise<string> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('product-link').first().click();
  await page.getByTestId('add-to-cart').click();
  await page.getByRole('link', { name: 'Go to cart →' }).click();
  await page.getByTestId('go-to-checkout').click();
  await page.getByTestId('checkout-email').fill('Jane.Doe@Example.com');
  await page.getByTestId('checkout-phone').fill('+1 (650) 555-1212');
  await page.getByTestId('place-order').click();
  await page.waitForURL(/\/order\//);
  const eventId = (await page.getByTestId('purchase-event-id').textContent())?.trim() ?? '';
  expect(eventId).not.toBe('');
  return eventId;
}

interface DeliveryRow {
  destination: string;
  platform: string;
  state: string;
  verdict: string;
}

/**
 * Waits until the inspector's row for `eventId` has every delivery settled and, unless
 * `withVerdicts` is false, a dedup verdict for each.
 */
async function inspectorRow(
  page: Page,
  eventId: string,
  withVerdicts = true,
): Promise<DeliveryRow[]> {
  await page.goto(`${baseUrl}/inspector`);
  const row = page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`);
  await row.waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    ({ id, verdicts }) => {
      const deliveries = document.querySelectorAll(
        `[data-testid="event-row"][data-event-id="${id}"] [data-testid="delivery"]`,
      );
      return (
        deliveries.length > 0 &&
        [...deliveries].every((delivery) => {
          const element = delivery as HTMLElement;
          const settled = !['queued', 'sent', 'retrying'].includes(element.dataset.state ?? '');
          const verdict = element.dataset.verdict ?? '';
          return settled && (!verdicts || (verdict !== '' && verdict !== 'unknown'));
        })
      );
    },
    { id: eventId, verdicts: withVerdicts },
    { timeout: 30_000 },
  );
  return row.locator('[data-testid="delivery"]').evaluateAll((elements) =>
    elements.map((element) => {
      const data = (element as HTMLElement).dataset;
      return {
        destination: data.destination ?? '',
        platform: data.platform ?? '',
        state: data.state ?? '',
        verdict: data.verdict ?? '',
      };
    }),
  );
}

describe('demo runtime', () => {
  it('keeps its queue in the SQLite file under the data folder', async () => {
    // The relay starts on the first request; the shop page is one.
    await fetch(`${baseUrl}/`);
    expect(existsSync(join(dataDir, 'queue.sqlite'))).toBe(true);
    expect(serverLog).not.toContain('SQLite queue unavailable');
  });
});

describe('ledger endpoint', () => {
  it('refuses a request without the ledger token', async () => {
    const ledger = await fetch(`${baseUrl}/ck/ledger`);
    expect(ledger.status).toBe(401);
    const verdicts = await fetch(`${baseUrl}/ck/verdicts?token=wrong`);
    expect(verdicts.status).toBe(401);
  });
});

describe('demo shop', () => {
  it('shows the Purchase delivered to Meta, Google and TikTok and matched with the pixel copies', async () => {
    const context = await browser!.newContext({ userAgent });
    const page = await context.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    const eventId = await buyOneProduct(page);

    // The pixels received the server-rendered ID, each the platform's way.
    const calls = await page.waitForFunction(() => {
      const all = (
        window as unknown as { __ckPixelCalls?: { platform: string; args: unknown[] }[] }
      ).__ckPixelCalls;
      const platforms = new Set(
        (all ?? [])
          .filter((call) => JSON.stringify(call.args).includes('"value"'))
          .map((call) => call.platform),
      );
      return platforms.size === 3 ? all : undefined;
    });
    const pixelCalls = JSON.stringify(await calls.jsonValue());
    expect(pixelCalls).toContain(`"eventID":"${eventId}"`);
    expect(pixelCalls).toContain(`"event_id":"${eventId}"`);

    const deliveries = await inspectorRow(page, eventId);
    expect(new Set(deliveries.map((delivery) => delivery.platform))).toEqual(
      new Set(['meta', 'google', 'tiktok']),
    );
    for (const delivery of deliveries) {
      expect(delivery, delivery.destination).toMatchObject({
        state: 'delivered',
        verdict: 'matched',
      });
    }
    const row = page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`);
    await expect(row.getByTestId('pixel-meta').textContent()).resolves.toContain('fired');
    await expect(row.getByTestId('recovered').count()).resolves.toBe(0);

    // The request shown one click away holds the e-mail and phone hashed, never as typed.
    const detail = ((await row.textContent()) ?? '').toLowerCase();
    expect(detail).not.toContain('jane.doe@example.com');
    expect(detail).not.toContain('555-1212');
    expect(detail).not.toContain('6505551212');
    expect(detail).toMatch(/"em":\s*\[?\s*"[0-9a-f]{64}"/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('counts the Purchase once when the confirmation page is reloaded', async () => {
    const context = await browser!.newContext({ userAgent });
    const page = await context.newPage();
    const eventId = await buyOneProduct(page);
    const orderUrl = page.url();
    await inspectorRow(page, eventId);

    // The reloaded page sends the same server-rendered ID again, pixel and beacon alike.
    const beacon = page.waitForResponse(
      (response) => response.url() === `${baseUrl}/ck` && response.request().method() === 'POST',
    );
    await page.goto(orderUrl);
    expect((await beacon).status()).toBeLessThan(300);
    await expect(page.getByTestId('purchase-event-id').textContent()).resolves.toBe(eventId);

    // A later event is delivered only after the replay would have been (the queue is FIFO per
    // destination), so once it has settled the replay had its chance to reach the platforms.
    await page.goto(`${baseUrl}/products/SKU-TEE`);
    const viewContentId = await page.waitForFunction(() => {
      const calls = (window as unknown as { __ckPixelCalls?: { args: unknown[] }[] })
        .__ckPixelCalls;
      const call = (calls ?? []).find((item) => item.args[1] === 'ViewContent');
      return (call?.args[3] as { eventID?: string } | undefined)?.eventID;
    });
    await inspectorRow(page, (await viewContentId.jsonValue()) as string, false);

    const deliveries = await inspectorRow(page, eventId);
    for (const delivery of deliveries) {
      expect(delivery, delivery.destination).toMatchObject({
        state: 'delivered',
        verdict: 'matched',
      });
    }
    await expect(
      page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`).count(),
    ).resolves.toBe(1);
    await context.close();
  });

  it('marks the Purchase recovered server-only when the ad blocker stops the pixels', async () => {
    const context = await browser!.newContext({
      userAgent,
      viewport: { width: 1280, height: 1160 },
    });
    const page = await context.newPage();
    // A blocked pixel script is a failed load, never an exception in the shop's own code.
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${baseUrl}/`);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('adblock-toggle').check()]);
    await expect(page.getByTestId('adblock-toggle').isChecked()).resolves.toBe(true);

    const eventId = await buyOneProduct(page);
    const deliveries = await inspectorRow(page, eventId);
    expect(new Set(deliveries.map((delivery) => delivery.platform))).toEqual(
      new Set(['meta', 'google', 'tiktok']),
    );
    for (const delivery of deliveries) {
      expect(delivery, delivery.destination).toMatchObject({
        state: 'delivered',
        verdict: 'server_only',
      });
    }
    const row = page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`);
    await expect(row.getByTestId('recovered').count()).resolves.toBe(1);
    await expect(row.getByTestId('pixel-meta').textContent()).resolves.toContain('blocked');
    await expect(page.getByTestId('total-recovered').textContent()).resolves.not.toBe('0');
    expect(pageErrors).toEqual([]);

    // The picture for the README: the purchases, the recovered one (newest) above a matched one.
    await page.getByTestId('event-filter').selectOption('purchases');
    await page.locator('[data-testid="event-row"][data-event-name="PageView"]').first().waitFor({
      state: 'detached',
    });
    const shownNames = await page
      .locator('[data-testid="event-row"]')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.eventName));
    expect(new Set(shownNames)).toEqual(new Set(['Purchase']));
    const screenshot = join(appDir, 'test-results', 'inspector.png');
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    if (process.env.CAPI_KIT_UPDATE_DOCS_SCREENSHOT) {
      // Refreshes the README's picture on demand only, so test runs leave the work tree clean.
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      copyFileSync(screenshot, join(repoRoot, 'docs', 'inspector.png'));
    }
    await context.close();
  });
});
