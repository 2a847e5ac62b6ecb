import type { RequestHandler } from 'express';
import { isLang, LANGUAGES, translate, type Lang, type MessageKey, type MessageParams } from '../i18n/index.js';

const COOKIE = 'lang';

/** One translator per language, made once rather than per request. */
const translators = Object.fromEntries(LANGUAGES.map((lang) => [lang, (key: MessageKey, params?: MessageParams) => translate(lang, key, params)]));

/** Vietnamese unless the visitor chose English (`?lang=en`, remembered in a cookie). */
export function languageMiddleware(secureCookies: boolean): RequestHandler {
  return (req, res, next) => {
    const asked = req.query.lang;
    let lang: Lang = 'vi';
    if (isLang(asked)) {
      lang = asked;
      res.cookie(COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 365 * 86400_000 });
    } else if (isLang(req.cookies?.[COOKIE])) {
      lang = req.cookies[COOKIE] as Lang;
    }
    req.lang = lang;
    res.locals.lang = lang;
    res.locals.t = translators[lang];
    // Only a rendered page shows the switch: most requests (files, cached pages) never read it.
    Object.defineProperty(res.locals, 'switchLangUrl', {
      enumerable: true,
      configurable: true,
      get() {
        const url = new URL(req.originalUrl, 'http://local');
        url.searchParams.set('lang', lang === 'vi' ? 'en' : 'vi');
        return url.pathname + url.search;
      },
    });
    next();
  };
}
