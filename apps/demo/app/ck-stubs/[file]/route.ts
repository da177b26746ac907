/**
 * Local stand-ins for the Meta, Google and TikTok pixel scripts, served only against the fakes.
 * Real pixels report the browser copy of each event to the platform; these report it to the fake
 * platform (`POST {fakeUrl}/__pixel/{platform}`) with the event ID the tracker passed, so the
 * fake's dedup verdict (pixel + server copy matched, or server only) is computed from real calls.
 * With the ad-blocker switch on they fail to load, as a blocked pixel script does.
 */
import { cookies } from 'next/headers';
import { ADBLOCK_COOKIE } from '@/lib/ad-blocker';
import { getDemo } from '@/lib/demo-runtime';
import { pixelStubScript } from '@/lib/pixel-stubs';

export async function GET(
  _request: Request,
  context: { params: Promise<{ file: string }> },
): Promise<Response> {
  const { file } = await context.params;
  const demo = await getDemo();
  const blocked = (await cookies()).get(ADBLOCK_COOKIE)?.value === '1';
  const script =
    demo.mode === 'fake' && !blocked ? pixelStubScript(file, demo.publicConfig) : undefined;
  if (!script) {
    // What the page sees when a blocker cancels the request: the script never runs.
    return new Response('blocked', { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  return new Response(script, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
    },
  });
}
