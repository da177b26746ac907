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
  if (typeof url !== 'string') return ids;
  const hashStart = url.indexOf('#');
  const beforeHash = hashStart < 0 ? url : url.slice(0, hashStart);
  const queryStart = beforeHash.indexOf('?');
  if (queryStart < 0) return ids;
  const query = beforeHash.slice(queryStart + 1);
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = decode(pair.slice(0, equals));
    if (name === undefined || !Object.hasOwn(parameterNames, name)) continue;
    const key = parameterNames[name]!;
    if (ids[key] !== undefined) continue;
    const raw = pair.slice(equals + 1);
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
