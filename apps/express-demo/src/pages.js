/**
 * The demo shop's HTML. Every page installs capi-kit the `<script>` way: the one-line stub that
 * queues `capiKit(...)` calls, the `init` call, then the file loaded `async` from our own origin.
 */

/** @typedef {{ id: string; name: string; price: number; currency: string }} Product */
/** @typedef {{ id: string; eventId: string; email: string; product: Product; quantity: number }} Order */

/**
 * Serializes for an inline `<script>`: `<` is escaped so no value can close the tag.
 * @param {unknown} value
 */
export function inlineJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** @type {Record<string, string>} */
const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @param {unknown} text */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

/**
 * @param {{ title: string; body: string; config: object; shims: boolean; calls: string }} page
 */
function layout({ title, body, config, shims, calls }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · capi-kit Express demo</title>
${shims ? '<script src="/pixel-shims.js"></script>' : ''}
<script>window.capiKit=window.capiKit||function(){(capiKit.q=capiKit.q||[]).push(arguments)};
capiKit('init',${inlineJson(config)});capiKit('page');${calls}</script>
<script async src="/capi-kit.js"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{font:inherit;padding:.4rem 1rem}</style>
</head>
<body>
<header><a href="/">capi-kit mugs</a> · <a href="/about">about</a></header>
${body}
</body>
</html>`;
}

/**
 * The product page: ViewContent on load, AddToCart on the button, and a checkout form.
 * @param {Product} product
 * @param {{ config: object; shims: boolean }} options
 */
export function productPage(product, options) {
  const data = {
    value: product.price,
    currency: product.currency,
    contents: [{ id: product.id, name: product.name, quantity: 1, price: product.price }],
  };
  return layout({
    ...options,
    title: product.name,
    calls: `capiKit('track','ViewContent',${inlineJson(data)});`,
    body: `<h1>${escapeHtml(product.name)}</h1>
<p>${product.price.toFixed(2)} ${escapeHtml(product.currency)}</p>
<button id="add-to-cart" onclick='capiKit("track","AddToCart",${escapeHtml(inlineJson(data))})'>Add to cart</button>
<form method="post" action="/checkout">
<label>E-mail <input name="email" type="email" value="ada@example.com"></label>
<input type="hidden" name="product" value="${escapeHtml(product.id)}">
<button id="buy" type="submit">Buy now</button>
</form>`,
  });
}

/**
 * The thank-you page: the Purchase goes out with the event ID the server minted for the order, so
 * a server-side copy of the same order would deduplicate with it.
 * @param {Order} order
 * @param {{ config: object; shims: boolean }} options
 */
export function thankYouPage(order, options) {
  const value = order.product.price * order.quantity;
  const data = {
    value,
    currency: order.product.currency,
    orderId: order.id,
    contents: [{ id: order.product.id, quantity: order.quantity, price: order.product.price }],
  };
  return layout({
    ...options,
    title: 'Thank you',
    calls: `capiKit('track','Purchase',${inlineJson(data)},${inlineJson({
      eventId: order.eventId,
      user: { email: order.email },
    })});`,
    body: `<h1>Thank you!</h1>
<p>Order <strong id="order-id">${escapeHtml(order.id)}</strong>: ${value.toFixed(2)} ${escapeHtml(order.product.currency)}.</p>
<p>Event ID <code id="event-id">${escapeHtml(order.eventId)}</code></p>`,
  });
}

/**
 * A plain page to navigate to.
 * @param {{ config: object; shims: boolean }} options
 */
export function aboutPage(options) {
  return layout({
    ...options,
    title: 'About',
    calls: '',
    body: '<h1>About</h1><p>A demo of capi-kit with the script tag and the Express middleware.</p>',
  });
}

/**
 * Stand-ins for `fbq`, `ttq`, `gtag`, `snaptr`, `pintrk`, `rdt` and `lintrk` when the relay talks
 * to the fake platforms: real pixels could not reach a fake, so these record every call in
 * `window.__pixelCalls` and report the pixel copy to the fake (`POST {fake}/__pixel/{platform}`)
 * under the ID each platform deduplicates on, which then gives a dedup verdict per event. LinkedIn
 * names no events and keys its dedup on (conversion rule, event ID), so its hit carries the rule
 * as the event name and no pixel ID (the partner ID is no part of the key). Like gtag, they make
 * sure a `_ga` cookie exists (GA4 needs its client ID server-side).
 * @param {{ fakeUrl: string } & import('./server.js').DemoIds} ids
 */
export function pixelShims(ids) {
  return `(function(){
var ids=${inlineJson(ids)},calls=window.__pixelCalls=[];
function hit(platform,pixelId,eventName,eventId){
  if(!eventId)return;
  fetch(ids.fakeUrl+'/__pixel/'+platform,{method:'POST',keepalive:true,body:JSON.stringify({pixelId:pixelId,eventName:eventName,eventId:eventId})}).catch(function(){});
}
window.fbq=function(){var a=[].slice.call(arguments);calls.push(['fbq'].concat(a));
  if(a[0]==='track'||a[0]==='trackCustom')hit('meta',ids.metaPixelId,a[1],a[3]&&a[3].eventID);};
window.ttq={track:function(n,p,o){calls.push(['ttq.track',n,p,o]);hit('tiktok',ids.tiktokPixelCode,n,o&&o.event_id);},
  identify:function(d){calls.push(['ttq.identify',d]);},page:function(){calls.push(['ttq.page']);}};
window.gtag=function(){var a=[].slice.call(arguments);calls.push(['gtag'].concat(a));
  if(a[0]==='event'&&a[1]!=='conversion')hit('ga4',ids.measurementId,a[1],a[2]&&(a[2].transaction_id||a[2].event_id));};
window.snaptr=function(){var a=[].slice.call(arguments);calls.push(['snaptr'].concat(a));
  if(a[0]==='track')hit('snapchat',ids.snapchatPixelId,a[1],a[2]&&a[2].client_dedup_id);};
window.pintrk=function(){var a=[].slice.call(arguments);calls.push(['pintrk'].concat(a));
  if(a[0]==='track')hit('pinterest',ids.pinterestTagId,a[1],a[2]&&a[2].event_id);};
window.rdt=function(){var a=[].slice.call(arguments);calls.push(['rdt'].concat(a));
  if(a[0]==='track')hit('reddit',ids.redditPixelId,a[1],a[2]&&a[2].conversionId);};
window.lintrk=function(){var a=[].slice.call(arguments);calls.push(['lintrk'].concat(a));
  if(a[0]==='track'&&a[1])hit('linkedin',undefined,String(a[1].conversion_id),a[1].event_id);};
if(!/(^|; )_ga=/.test(document.cookie))document.cookie='_ga=GA1.1.'+Math.floor(Math.random()*1e9)+'.'+Math.floor(Date.now()/1e3)+';path=/;max-age=63072000;SameSite=Lax';
})();`;
}

/**
 * The single-page variant, installed the npm way (`/spa.js` is the bundle of `spa-entry.js`).
 * @param {{ config: object; shims: boolean }} options
 */
export function spaPage(options) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SPA · capi-kit Express demo</title>
${options.shims ? '<script src="/pixel-shims.js"></script>' : ''}
<script>window.__capiKitConfig=${inlineJson(options.config)};</script>
<script type="module" src="/spa.js"></script>
</head>
<body>
<h1>Step 1</h1>
<button id="next">Next step</button>
</body>
</html>`;
}
