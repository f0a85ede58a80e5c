// api.js - fetching kasip's JSON API in the page's language.
import { currentLang } from "./i18n.js";

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The URL of an API path with query parameters (null and "" left out) and ?lang=.
export function apiUrl(path, params = {}) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") u.searchParams.set(k, v);
  }
  if (!u.searchParams.has("lang")) u.searchParams.set("lang", currentLang());
  return u.pathname + u.search;
}

// GET a JSON answer; an error answer becomes an ApiError with the server's
// message (already in the page's language).
export async function getJSON(path, params = {}, signal) {
  let r;
  try {
    r = await fetch(apiUrl(path, params), { signal, headers: { Accept: "application/json" } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(e.message, 0, "network");
  }
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (!r.ok) {
    const err = body && body.error ? body.error : {};
    throw new ApiError(err.message || r.statusText, r.status, err.code || "http");
  }
  return body;
}

// Every item of a paged list, following "next" (at most max items).
export async function getAll(path, params = {}, max = 5000) {
  const items = [];
  let offset = 0;
  for (;;) {
    const page = await getJSON(path, { ...params, limit: 1000, offset });
    items.push(...page.items);
    if (!page.next || items.length >= max) return items;
    offset = items.length;
  }
}
