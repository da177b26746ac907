/**
 * The shop's frame: navigation, the banner that says where events go (local fakes or REAL
 * platforms), the ad-blocker switch, and the pixel scripts. Against the fakes the pixel scripts are
 * small local stand-ins for `fbq`/`gtag`/`ttq` (served by `app/ck-stubs`), loaded before the page
 * hydrates so the tracker finds them the way it finds real pixels on a real site.
 */
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import Script from 'next/script';
import type { ReactNode } from 'react';
import { AdBlockerToggle } from '@/components/ad-blocker-toggle';
import { TrackerProvider } from '@/components/tracker-provider';
import { ADBLOCK_COOKIE } from '@/lib/ad-blocker';
import { getDemo } from '@/lib/demo-runtime';
import './globals.css';

// Every page depends on the running relay and on the ad-blocker cookie; nothing is prerendered at
// build time (which would also start the fakes inside `next build`).
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'capi-kit demo shop',
  description: 'Watch one conversion travel from the pixel and the beacon to each Conversion API.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const demo = await getDemo();
  const config = demo.publicConfig;
  const adBlocked = (await cookies()).get(ADBLOCK_COOKIE)?.value === '1';

  return (
    <html lang="en">
      <body>
        {config.mode === 'fake' ? (
          <>
            <Script id="stub-meta" src="/ck-stubs/meta.js" strategy="beforeInteractive" />
            <Script id="stub-google" src="/ck-stubs/google.js" strategy="beforeInteractive" />
            <Script id="stub-tiktok" src="/ck-stubs/tiktok.js" strategy="beforeInteractive" />
          </>
        ) : null}
        <header className="site-header">
          <nav>
            <Link className="brand" href="/">
              capi-kit demo shop
            </Link>
            <Link href="/">Products</Link>
            <Link href="/cart">Cart</Link>
            <Link href="/inspector">Event inspector</Link>
            <AdBlockerToggle initiallyOn={adBlocked} />
          </nav>
          {config.mode === 'fake' ? (
            <div className="banner fake" data-testid="mode-banner">
              Sending to local fake platforms (no real ad account is contacted). Put credentials in
              <code> .env.local </code>
              to send to the real platforms.
            </div>
          ) : (
            <div className="banner real" data-testid="mode-banner">
              Sending to REAL platforms with the credentials in .env.local. Use test event codes.
            </div>
          )}
        </header>
        <TrackerProvider config={{ ...config, adBlocked }}>
          <main>{children}</main>
        </TrackerProvider>
      </body>
    </html>
  );
}
