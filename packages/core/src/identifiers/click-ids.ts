/**
 * Ad click IDs from a landing-page URL (platforms.md §4.3, §5.6, §6.6, §7.3, §8.4, §12). Values are
 * taken from the raw query string: `fbclid` in particular is case-sensitive and must reach Meta
 * byte for byte, never decoded or re-encoded (Meta's fbp-and-fbc page), so it is read before any
 * URL parser can percent-encode or decode it.
 */
import { isUsableFbclid } from './fb-cookies';

/** Click IDs found in a URL, under capi-kit's `UserData` names. */
export interface ClickIds {
  /** Meta (`fbclid`), raw. */
  fbclid?: string;
  /** Google Ads (`gclid`). */
  gclid?: string;
  /** Google Ads iOS app-to-web (`gbraid`). */
  gbraid?: string;
  /** Google Ads iOS web (`wbraid`). */
  wbraid?: string;
  /** TikTok (`ttclid`). */
  ttclid?: string;
  /** Snapchat (`ScCid`). */
  scClickId?: string;
  /** Pinterest (`epik`). */
  epik?: string;
  /** Reddit (`rdt_cid`). */
  rdtCid?: string;
  /** LinkedIn (`li_fat_id`). */
  liFatId?: string;
  /** Microsoft Ads (`msclkid`). */
  msclkid?: string;
}

const parameterNames: Readonly<Record<string, keyof ClickIds>> = {
  fbclid: 'fbclid',
  gclid: 'gclid',
  gbraid: 'gbraid',
  wbraid: 'wbraid',
  ttclid: 'ttclid',
  ScCid: 'scClickId',
  sccid: 'scClickId',
  epik: 'epik',
  rdt_cid: 'rdtCid',
  li_fat_id: 'liFatId',
  msclkid: 'msclkid',
};

const maxClickIdLength = 500;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The click IDs in `url` (absolute or relative). The first occurrence of each parameter wins;
 * empty values, values over 500 characters, and values with whitespace or control characters are
 * ignored. `fbclid` is returned exactly as it appears in the URL; the others are percent-decoded.
 *
 * @example
 * extractClickIds('https://shop.example.com/?fbclid=IwAR2F4-dbP0&gclid=Cj0KCQ');
 * // { fbclid: 'IwAR2F4-dbP0', gclid: 'Cj0KCQ' }
 */
export function extractClickIds(url: string | undefined): ClickIds {
  const ids: ClickIds = {};
  // The query: after the first `?`, up to the fragment. One pass over its `name=value` pairs.
  const query = typeof url === 'string' ? /^[^#?]*\?([^#]*)/.exec(url)?.[1] : undefined;
  if (query === undefined) return ids;
  const pairs = /(?:^|&)([^&=]+)=([^&]*)/g;
  for (let pair; (pair = pairs.exec(query));) {
    const name = decode(pair[1]!);
    const key = name !== undefined && Object.hasOwn(parameterNames, name) && parameterNames[name]!;
    if (!key || ids[key] !== undefined) continue;
    const raw = pair[2]!;
    if (key === 'fbclid') {
      if (isUsableFbclid(raw)) ids.fbclid = raw;
      continue;
    }
    const value = decode(raw);
    if (
      value !== undefined &&
      value.length > 0 &&
      value.length <= maxClickIdLength &&
      !/[\s\u0000-\u001f\u007f]/.test(value)
    ) {
      ids[key] = value;
    }
  }
  return ids;
}
