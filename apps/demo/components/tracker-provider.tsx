'use client';

/**
 * The browser half of capi-kit, installed the npm way: one tracker per page load, created on first
 * use (never during server rendering), with the Meta, Google and TikTok pixel adapters. Against
 * the fakes the pixel globals are the local stand-ins; against real platforms the adapters load the
 * official scripts. Events go to `/ck`, a first-party path that ad-block lists do not match.
 */
import { createTracker, type Tracker } from '@capi-kit/browser';
import { googleTag } from '@capi-kit/browser/google';
import { metaPixel } from '@capi-kit/browser/meta';
import { tiktokPixel } from '@capi-kit/browser/tiktok';
import { usePathname } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useLayoutEffect,
  useRef,
  type ReactNode,
} from 'react';
import type { PublicDemoConfig } from '@/lib/public-config';

let tracker: Tracker | undefined;

function trackerFor(config: DemoTrackerConfig): Tracker {
  if (tracker) return tracker;
  // Against real platforms the adapters load the official scripts; with the ad-blocker switch on
  // they do not, so the globals are missing and the pixels report `blocked`, as behind a blocker.
  // (Against the fakes the switch makes the stand-in scripts fail to load instead.)
  const load = config.mode === 'real' && !config.adBlocked;
  const pixels = [];
  if (config.metaPixelId) pixels.push(metaPixel({ pixelId: config.metaPixelId, load }));
  if (config.ga4MeasurementId) {
    pixels.push(
      googleTag({
        measurementId: config.ga4MeasurementId,
        adsConversion: config.googleAdsSendTo,
        load,
      }),
    );
  }
  if (config.tiktokPixelCode) pixels.push(tiktokPixel({ pixelCode: config.tiktokPixelCode, load }));
  tracker = createTracker({ endpoint: '/ck', pixels });
  return tracker;
}

/** The public settings plus the state of the ad-blocker switch. */
export type DemoTrackerConfig = PublicDemoConfig & { adBlocked: boolean };

const ConfigContext = createContext<DemoTrackerConfig | undefined>(undefined);

export function TrackerProvider({
  config,
  children,
}: {
  config: DemoTrackerConfig;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const lastPage = useRef<string | undefined>(undefined);
  // A layout effect runs before every child's passive effect, so the page's PageView leaves before
  // the ViewContent or Purchase that the page itself sends, in the order a person saw them.
  useLayoutEffect(() => {
    // One PageView per route, including client-side navigations (and not two when development
    // mode runs the effect twice). The inspector is the demo's own tool, not part of the shop.
    if (lastPage.current === pathname || pathname.startsWith('/inspector')) return;
    lastPage.current = pathname;
    trackerFor(config).page();
  }, [config, pathname]);
  return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>;
}

/** The page's tracker, for event handlers and effects (it does not exist during server rendering). */
export function useTracker(): () => Tracker {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useTracker() must be used inside <TrackerProvider>.');
  return useCallback(() => trackerFor(config), [config]);
}
