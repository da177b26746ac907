/**
 * The `<script>` build: one self-contained file (`dist/capi-kit.js`) for sites without a bundler.
 * The page's inline stub queues `capiKit(...)` calls in `capiKit.q` until this file loads; they
 * are replayed in order, then `capiKit` runs calls directly:
 *
 * ```html
 * <script>window.capiKit=window.capiKit||function(){(capiKit.q=capiKit.q||[]).push(arguments)};
 * capiKit('init',{endpoint:'/e',meta:{pixelId:'123'}});capiKit('track','PageView');</script>
 * <script async src="/capi-kit.js"></script>
 * ```
 */
import { googleTag, type GoogleTagOptions } from './pixels/google';
import { linkedinInsight, type LinkedinInsightOptions } from './pixels/linkedin';
import { metaPixel, type MetaPixelOptions } from './pixels/meta';
import { pinterestTag, type PinterestTagOptions } from './pixels/pinterest';
import { redditPixel, type RedditPixelOptions } from './pixels/reddit';
import { snapPixel, type SnapPixelOptions } from './pixels/snapchat';
import { tiktokPixel, type TiktokPixelOptions } from './pixels/tiktok';
import { createTracker } from './tracker';
import type { PixelAdapter, Tracker, TrackerOptions } from './types';

/** The settings of `capiKit('init', …)`: the tracker's options plus one entry per pixel. */
export interface ScriptConfig extends Omit<TrackerOptions, 'pixels' | 'transport'> {
  meta?: MetaPixelOptions;
  google?: GoogleTagOptions;
  tiktok?: TiktokPixelOptions;
  snapchat?: SnapPixelOptions;
  pinterest?: PinterestTagOptions;
  reddit?: RedditPixelOptions;
  linkedin?: LinkedinInsightOptions;
}

const factories: Record<string, (options: any) => PixelAdapter> = {
  meta: metaPixel,
  google: googleTag,
  tiktok: tiktokPixel,
  snapchat: snapPixel,
  pinterest: pinterestTag,
  reddit: redditPixel,
  linkedin: linkedinInsight,
};

const page = window as any;
const queued: ArrayLike<unknown>[] = page.capiKit?.q ?? [];
let tracker: Tracker | undefined;
// Calls that arrive before `init` wait for it, in order.
let waiting: unknown[][] = [];

function capiKit(command: string, ...args: any[]): unknown {
  if (command == 'init') {
    const config = args[0] as ScriptConfig & Record<string, unknown>;
    tracker = createTracker({
      ...config,
      pixels: Object.keys(factories)
        .filter((key) => config[key])
        .map((key) => factories[key]!(config[key])),
    });
    const pending = waiting;
    waiting = [];
    for (const call of pending) capiKit(...(call as [string]));
    return;
  }
  if (!tracker) return void waiting.push([command, ...args]);
  return (tracker as any)[command]?.(...args);
}

page.capiKit = capiKit;
for (const call of Array.from(queued)) capiKit(...(Array.from(call) as [string]));
