/**
 * Compact lookup tables for normalization: US states and Canadian provinces (names → 2-letter
 * codes), ISO-3166-1 alpha-2 codes, common country names and alpha-3 codes, and the calling codes
 * used to complete national phone numbers. Keys are folded with `foldKey` (lowercase, diacritics
 * and everything but letters removed), so `Québec`, `quebec` and `QUEBEC` find the same entry.
 */

/** Lowercase, strip diacritics, keep only letters a–z. */
export function foldKey(value: string): string {
  // ASCII has no diacritics to strip: skip the NFD pass and the Unicode-aware regex.
  if (/^[\x00-\x7f]*$/.test(value)) return value.toLowerCase().replace(/[^a-z]+/g, '');
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

/** A set of the space-separated words of `list` (a call the bundler can drop when unused). */
export function words(list: string): Set<string> {
  return new Set(list.split(' '));
}

function table(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of source.split(',')) {
    const [name, code] = entry.split('=');
    if (name && code) map.set(foldKey(name), code);
  }
  return map;
}

/** US states, DC, territories and Canadian provinces (platforms.md §2.4: the param builder maps both). */
export const regionCodes = /* @__PURE__ */ table(
  'alabama=al,alaska=ak,arizona=az,arkansas=ar,california=ca,colorado=co,connecticut=ct,delaware=de,' +
    'district of columbia=dc,washington dc=dc,florida=fl,georgia=ga,hawaii=hi,idaho=id,illinois=il,' +
    'indiana=in,iowa=ia,kansas=ks,kentucky=ky,louisiana=la,maine=me,maryland=md,massachusetts=ma,' +
    'michigan=mi,minnesota=mn,mississippi=ms,missouri=mo,montana=mt,nebraska=ne,nevada=nv,' +
    'new hampshire=nh,new jersey=nj,new mexico=nm,new york=ny,north carolina=nc,north dakota=nd,' +
    'ohio=oh,oklahoma=ok,oregon=or,pennsylvania=pa,rhode island=ri,south carolina=sc,' +
    'south dakota=sd,tennessee=tn,texas=tx,utah=ut,vermont=vt,virginia=va,washington=wa,' +
    'west virginia=wv,wisconsin=wi,wyoming=wy,puerto rico=pr,guam=gu,american samoa=as,' +
    'us virgin islands=vi,northern mariana islands=mp,' +
    'alberta=ab,british columbia=bc,manitoba=mb,new brunswick=nb,newfoundland and labrador=nl,' +
    'newfoundland=nl,nova scotia=ns,northwest territories=nt,nunavut=nu,ontario=on,' +
    'prince edward island=pe,quebec=qc,saskatchewan=sk,yukon=yt',
);

/** Every officially assigned ISO-3166-1 alpha-2 code. */
export const countryAlpha2 = /* @__PURE__ */ words(
  'ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs ' +
    'bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee ' +
    'eg eh er es et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm ' +
    'hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc ' +
    'li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na ' +
    'nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw ' +
    'sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to ' +
    'tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw',
);

/**
 * Common country names (English and the local name where people often type it) and alpha-3 codes.
 * Deliberately small: an unknown name yields `undefined` rather than a guess (the param builder's
 * "first two letters" fallback turns `Germany` into `ge`, which is Georgia).
 */
export const countryNames = /* @__PURE__ */ table(
  'united states=us,united states of america=us,usa=us,america=us,u s a=us,' +
    'united kingdom=gb,uk=gb,great britain=gb,britain=gb,england=gb,scotland=gb,wales=gb,' +
    'northern ireland=gb,gbr=gb,germany=de,deutschland=de,deu=de,france=fr,fra=fr,canada=ca,can=ca,' +
    'spain=es,espana=es,esp=es,italy=it,italia=it,ita=it,netherlands=nl,the netherlands=nl,' +
    'holland=nl,nederland=nl,nld=nl,belgium=be,belgique=be,belgie=be,switzerland=ch,schweiz=ch,' +
    'suisse=ch,austria=at,osterreich=at,sweden=se,sverige=se,norway=no,norge=no,denmark=dk,' +
    'danmark=dk,finland=fi,suomi=fi,ireland=ie,portugal=pt,poland=pl,polska=pl,czechia=cz,' +
    'czech republic=cz,greece=gr,hungary=hu,romania=ro,ukraine=ua,russia=ru,russian federation=ru,' +
    'turkey=tr,turkiye=tr,israel=il,australia=au,aus=au,new zealand=nz,japan=jp,china=cn,' +
    'hong kong=hk,taiwan=tw,south korea=kr,korea=kr,republic of korea=kr,india=in,ind=in,' +
    'singapore=sg,malaysia=my,indonesia=id,philippines=ph,thailand=th,vietnam=vn,viet nam=vn,' +
    'brazil=br,brasil=br,bra=br,mexico=mx,mex=mx,argentina=ar,chile=cl,colombia=co,peru=pe,' +
    'south africa=za,nigeria=ng,kenya=ke,egypt=eg,morocco=ma,united arab emirates=ae,uae=ae,' +
    'saudi arabia=sa,qatar=qa,luxembourg=lu,iceland=is,slovakia=sk,slovenia=si,croatia=hr,' +
    'serbia=rs,bulgaria=bg,estonia=ee,latvia=lv,lithuania=lt,cyprus=cy,malta=mt,pakistan=pk,' +
    'bangladesh=bd,puerto rico=pr',
);

/**
 * Calling codes for default countries whose national numbers start with a trunk `0` that is
 * dropped in international form (`020 7946 0000` in GB → `+44 20 7946 0000`). Without
 * libphonenumber core only completes numbers for these and for NANP countries; others need the
 * caller's `parsePhone` or a number written with its country code.
 */
export const trunkZeroCallingCodes: Readonly<Record<string, string>> = {
  gb: '44',
  ie: '353',
  de: '49',
  at: '43',
  ch: '41',
  fr: '33',
  be: '32',
  nl: '31',
  se: '46',
  fi: '358',
  au: '61',
  nz: '64',
  in: '91',
  jp: '81',
  kr: '82',
  za: '27',
  tr: '90',
  il: '972',
};

/** NANP countries: 10-digit national numbers whose area code starts with 2–9, country code 1. */
export const nanpCountries = /* @__PURE__ */ new Set(['us', 'ca', 'pr', 'gu', 'vi', 'as', 'mp']);
