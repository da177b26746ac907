// Browser code (bundled for the page), so it stays out of this Node project's typecheck; the
// package it imports is typechecked with the DOM lib in packages/browser.
// The npm install path, as a bundler user writes it: imports from @capi-kit/browser and its pixel
// subpaths, bundled by esbuild from the packages' published build (dist), with SPA PageViews on.
import { createTracker } from '@capi-kit/browser';
import { googleTag } from '@capi-kit/browser/google';
import { linkedinInsight } from '@capi-kit/browser/linkedin';
import { metaPixel } from '@capi-kit/browser/meta';
import { pinterestTag } from '@capi-kit/browser/pinterest';
import { redditPixel } from '@capi-kit/browser/reddit';
import { snapPixel } from '@capi-kit/browser/snapchat';
import { tiktokPixel } from '@capi-kit/browser/tiktok';

const config = /** @type {any} */ (window).__capiKitConfig;
const tracker = createTracker({
  endpoint: config.endpoint,
  autoPageViews: true,
  // The page config of the <script> pages; Pinterest and LinkedIn are absent when their tag IDs
  // are not set.
  pixels: [
    config.meta && metaPixel(config.meta),
    config.google && googleTag(config.google),
    config.tiktok && tiktokPixel(config.tiktok),
    config.snapchat && snapPixel(config.snapchat),
    config.pinterest && pinterestTag(config.pinterest),
    config.reddit && redditPixel(config.reddit),
    config.linkedin && linkedinInsight(config.linkedin),
  ].filter(Boolean),
});
/** @type {any} */ (window).tracker = tracker;
tracker.page();
document.querySelector('#next')?.addEventListener('click', () => {
  history.pushState({}, '', '/spa/step-2');
  const heading = document.querySelector('h1');
  if (heading) heading.textContent = 'Step 2';
});
