// route.js - the dashboard's addresses: #/PAGE/ARG?QUERY.
export const DEFAULT_PAGE = "map";

export function parseHash(hash) {
  const h = (hash || "").replace(/^#\/?/, "");
  const [path, query = ""] = h.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { id: parts[0] || DEFAULT_PAGE, arg: parts[1] || "", query: new URLSearchParams(query) };
}

function clean(query) {
  return Object.entries(query || {}).filter(([, v]) => v !== null && v !== undefined && v !== "");
}

export function hashFor(id, arg, query) {
  let h = "#/" + id + (arg ? "/" + encodeURIComponent(arg) : "");
  const q = new URLSearchParams(clean(query));
  if ([...q].length) h += "?" + q;
  return h;
}

export { clean };
