/**
 * The `subdomainIndex` segment of Meta's `_fbp`/`_fbc` cookies: how many labels deep the cookie's
 * domain is (platforms.md §2.8: 0 = `com`, 1 = `example.com`, 2 = `www.example.com`). It comes from
 * the domain the cookie is actually set on (the registrable domain), not a constant, so a shop on
 * `shop.example.co.uk` writes `fb.3.…`, just as Meta's pixel would.
 */

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The subdomain index for a cookie domain: the number of dots in it once a leading and a trailing
 * dot are removed. IP addresses and `localhost` give 0, as Meta's param builder does for IP hosts.
 *
 * @example
 * subdomainIndexFor('example.com'); // 1
 * subdomainIndexFor('.www.example.com'); // 2
 * subdomainIndexFor('127.0.0.1'); // 0
 */
export function subdomainIndexFor(cookieDomain: string): number {
  const domain = cookieDomain.trim().toLowerCase().replace(/^\.+/, '').replace(/\.+$/, '');
  if (domain === '' || domain === 'localhost' || ipv4.test(domain) || domain.includes(':')) {
    return 0;
  }
  return domain.split('.').length - 1;
}
