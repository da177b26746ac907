/**
 * Which IP address is the client's. The socket address is the only fact; forwarding headers
 * (`Forwarded`, `X-Forwarded-For`, `CF-Connecting-IP`, `X-Real-IP`) are believed only as far as
 * `trustProxy` says, with Express's `trust proxy` semantics: `true` trusts every hop, a number
 * trusts that many hops from the server, a list trusts those addresses/CIDRs (plus the names
 * `loopback`, `linklocal`, `uniquelocal`). Written without `node:net` so the relay runs on any
 * Web-standard runtime.
 */
import type { HeaderReader } from './accept';

/** The `trustProxy` option. */
export type TrustProxy = boolean | number | string | readonly string[];

/** A compiled `trustProxy`: is the hop at `index` (0 = the socket peer) with `address` trusted? */
export type TrustFunction = (address: string | undefined, index: number) => boolean;

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Compiles the option once. */
export function compileTrustProxy(option: TrustProxy | undefined): TrustFunction {
  if (option === undefined || option === false) return () => false;
  if (option === true) return () => true;
  if (typeof option === 'number') return (_address, index) => index < option;
  const list = typeof option === 'string' ? option.split(/\s*,\s*/) : option;
  const ranges = list.flatMap((item) => NAMED_RANGES[item] ?? [item]).map(parseRange);
  return (address) => {
    const parsed = address === undefined ? undefined : parseIp(address);
    return parsed !== undefined && ranges.some((range) => inRange(parsed, range));
  };
}

/** Whether the immediate peer may speak for the client (so its forwarding headers count). */
export function isPeerTrusted(
  socketAddress: string | undefined,
  trust: TrustFunction,
  trustConfigured: boolean,
): boolean {
  return socketAddress ? trust(cleanAddress(socketAddress), 0) : trustConfigured;
}

/**
 * The client address. `socketAddress` may be missing in Fetch runtimes (Workers, Vercel Edge):
 * there the platform itself is the first proxy, so when `trustProxy` is set at all the first hop
 * counts as trusted; without `trustProxy` the IP stays unknown rather than taken from a header
 * anyone can forge.
 */
export function clientIp(
  headers: HeaderReader,
  socketAddress: string | undefined,
  trust: TrustFunction,
  trustConfigured: boolean,
): string | undefined {
  const socket = socketAddress ? cleanAddress(socketAddress) : undefined;
  if (!isPeerTrusted(socket, trust, trustConfigured)) return socket;

  // Cloudflare sets CF-Connecting-IP to the address it saw; it is a single value, unlike XFF.
  const cloudflare = headers.get('cf-connecting-ip');
  if (cloudflare && isIp(cleanAddress(cloudflare))) return cleanAddress(cloudflare);

  const forwarded = forwardedChain(headers);
  if (forwarded.length > 0) {
    // The chain from the server outwards: the socket peer, then each forwarded hop, nearest first.
    const chain = [socket, ...forwarded.reverse()];
    for (let index = 1; index < chain.length; index++) {
      const address = chain[index];
      if (address === undefined || !isIp(address)) return chain[index - 1];
      if (index === chain.length - 1 || !trust(address, index)) return address;
    }
  }
  const realIp = headers.get('x-real-ip');
  if (realIp && isIp(cleanAddress(realIp))) return cleanAddress(realIp);
  return socket;
}

/** The client-to-server list of addresses from `Forwarded` (RFC 7239) or else `X-Forwarded-For`. */
function forwardedChain(headers: HeaderReader): (string | undefined)[] {
  const forwarded = headers.get('forwarded');
  if (forwarded) {
    const result: (string | undefined)[] = [];
    for (const element of forwarded.split(',')) {
      const match = /(?:^|;)\s*for\s*=\s*("[^"]*"|[^;,\s]*)/i.exec(element);
      const value = match?.[1]?.replace(/^"|"$/g, '');
      result.push(value ? cleanAddress(value) : undefined);
    }
    return result;
  }
  const xff = headers.get('x-forwarded-for');
  if (!xff) return [];
  return xff
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(cleanAddress);
}

/** Drops brackets, ports, zone IDs and the IPv4-mapped IPv6 prefix; keeps real IPv6 as is. */
export function cleanAddress(raw: string): string {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value))
    value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  return mapped ? mapped[1]! : value;
}

export function isIp(value: string): boolean {
  return parseIp(value) !== undefined;
}

interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}
interface Range extends ParsedIp {
  prefix: number;
}

function parseRange(text: string): Range {
  const [address, prefixText] = text.split('/');
  const parsed = parseIp(cleanAddress(address ?? ''));
  if (!parsed) throw new TypeError(`trustProxy: not an IP address or CIDR: ${text}`);
  const bits = parsed.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new TypeError(`trustProxy: bad prefix length in ${text}`);
  }
  return { ...parsed, prefix };
}

function inRange(ip: ParsedIp, range: Range): boolean {
  if (ip.version !== range.version) return false;
  const bits = BigInt(ip.version === 4 ? 32 : 128);
  const shift = bits - BigInt(range.prefix);
  return ip.value >> shift === range.value >> shift;
}

function parseIp(text: string): ParsedIp | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    return { version: 4, value: parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  let head = text;
  let tailV4: number[] = [];
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    tailV4 = v4[1]!.split('.').map(Number);
    if (tailV4.some((part) => part > 255)) return undefined;
    head = text.slice(0, -v4[1]!.length) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
  if (v4) value = (value & ~0xffffffffn) | tailV4.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
  return { version: 6, value };
}
