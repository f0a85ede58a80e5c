// i18n.js - the dashboard's words and number formats.
//
// The words come from kasip's one message catalogue (po/kk.po, po/ru.po):
// every t("...") in web/js is a key with the context "dashboard", which
// tools/po2c extracts and checks like the C code's, and the server hands
// them over at /api/v1/messages?lang=.  English is the keys themselves.
import { getJSON } from "./api.js";

export const LANGS = ["kk", "ru", "en"];
const LOCALES = { ru: "ru-RU", en: "en-GB" };
const STORE_KEY = "kasip.lang";

let lang = "en";
let messages = {};

export function currentLang() {
  return lang;
}

// The language remembered, else the browser's first supported one, else Kazakh.
export function initialLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch (e) {
    saved = null;
  }
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || []) {
    const two = l.slice(0, 2).toLowerCase();
    if (LANGS.includes(two)) return two;
  }
  return "kk";
}

export async function setLang(l) {
  if (!LANGS.includes(l)) l = "en";
  const answer = await getJSON("/api/v1/messages", { lang: l });
  lang = l;
  messages = answer.messages || {};
  document.documentElement.lang = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch (e) {
    // private mode: the choice lasts this visit only
  }
}

// The translation of key; %s and %d take the arguments in order.
export function t(key, ...args) {
  let s = messages[key] || key;
  let i = 0;
  return s.replace(/%[sd]/g, (m) => (i < args.length ? String(args[i++]) : m));
}

// Numbers as kasip's ksp_fmt_number writes them for people: Kazakh like
// Russian (12 345,6 with a no-break space, 48,6 %).  Not "kk-KZ": Chromium's
// ICU data formats it with English separators.
function locale() {
  return lang === "kk" ? "ru-RU" : LOCALES[lang] || "en-GB";
}

function nf(opts) {
  return new Intl.NumberFormat(locale(), opts);
}

// A count of persons (or any figure) with digits after the point.
export function num(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

// A fraction as a percentage: 0.053 -> "5.3 %".
export function pct(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return nf({ style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

// A signed count: a shortage shows as a minus.
export function signed(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return nf({ minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "exceptZero" }).format(v);
}
