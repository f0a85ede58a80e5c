// charts.js - every chart's ECharts options, built from API answers in one
// place, and the charts' lifecycle (one set per page, disposed on leaving).
// Nothing here computes a figure: the series are the API's numbers, only
// arranged (a pyramid draws men to the left as negative bar lengths).
import { t, num, pct } from "./i18n.js";

const live = [];
let mapsRegistered = null;

const PALETTE = { demand: "#1f5f8b", supply: "#d9822b", shortage: "#b3261e", base: "#8c8c8c", target: "#1f5f8b", female: "#c2185b", male: "#1f5f8b" };

export function echartsReady() {
  return typeof window.echarts !== "undefined";
}

// A chart in el (a div with a size from CSS); null when ECharts did not load.
export function makeChart(el) {
  if (!echartsReady()) {
    el.textContent = t("The charts need ECharts, which this server does not have (run make deps).");
    el.classList.add("nochart");
    return null;
  }
  const c = window.echarts.init(el, null, { renderer: "canvas" });
  live.push(c);
  return c;
}

export function disposeCharts() {
  while (live.length) live.pop().dispose();
}

window.addEventListener("resize", () => live.forEach((c) => c.resize()));

// Register the outlines (GeoJSON with properties.kato) once, as the map "kz".
export function registerRegions(geojson) {
  if (!echartsReady() || mapsRegistered) return;
  window.echarts.registerMap("kz", geojson);
  mapsRegistered = true;
}

// A choropleth of values by KATO (items: {kato, name, value, extra}), value a fraction.
export function choroplethOption(items, { title, max, tooltip }) {
  const values = items.map((d) => d.value).filter((v) => v !== null && v !== undefined);
  const hi = max ?? Math.max(0.01, ...values.map((v) => Math.abs(v)));
  return {
    aria: { enabled: true, label: { description: title } },
    tooltip: {
      trigger: "item",
      formatter: (p) => (p.data ? tooltip(p.data) : p.name),
    },
    visualMap: {
      type: "continuous",
      min: -hi,
      max: hi,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      text: [t("shortage"), t("surplus")],
      formatter: (v) => pct(v, 0),
      inRange: { color: ["#2b7bb9", "#f7f7f7", "#d7301f"] },
    },
    series: [
      {
        type: "map",
        map: "kz",
        nameProperty: "kato",
        roam: false,
        top: 10,
        bottom: 50,
        left: 10,
        right: 10,
        selectedMode: false,
        label: { show: false },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffd54f" } },
        itemStyle: { borderColor: "#555", borderWidth: 0.6 },
        data: items.map((d) => ({ name: d.kato, value: d.value, label: d.name, extra: d.extra })),
      },
    ],
  };
}

// Two yearly series with their P10-P90 bands (years: the API's rows).
export function bandOption(years, series, { yName, yMax }) {
  const x = years.map((y) => String(y.year));
  const out = [];
  const legend = [];
  for (const s of series) {
    const name = s.label;
    legend.push(name);
    if (s.lo && years.some((y) => y[s.lo] !== null && y[s.lo] !== undefined)) {
      // a band: the P10 line (invisible), then P90 - P10 stacked on it
      out.push({ name: name + " P10", type: "line", data: years.map((y) => y[s.lo]), stack: s.key, lineStyle: { opacity: 0 }, symbol: "none", silent: true, tooltip: { show: false } });
      out.push({ name: name + " P10–P90", type: "line", data: years.map((y) => (y[s.hi] ?? null) - (y[s.lo] ?? 0)), stack: s.key, lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: s.color, opacity: 0.18 }, silent: true, tooltip: { show: false } });
    }
    out.push({ name, type: "line", data: years.map((y) => y[s.key]), color: s.color, symbolSize: 5, lineStyle: { width: 2.5 } });
  }
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: "axis",
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        const y = years[i];
        const lines = series.map((s) => {
          const band = s.lo && y[s.lo] !== null && y[s.lo] !== undefined ? ` (P10–P90: ${num(y[s.lo])} – ${num(y[s.hi])})` : "";
          return `${s.label}: <b>${num(y[s.key])}</b>${band}`;
        });
        return [y.year, ...lines].join("<br>");
      },
    },
    legend: { data: legend, top: 0 },
    grid: { left: 70, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: x, boundaryGap: false },
    yAxis: { type: "value", name: yName, max: yMax, axisLabel: { formatter: (v) => num(v) } },
    series: out,
  };
}

// The pyramid of two years (rows: the API's age groups), men to the left.
export function pyramidOption(base, target) {
  const ages = base.items.map((r) => r.age);
  const neg = (rows) => rows.map((r) => (r.male === null ? null : -r.male));
  const pos = (rows) => rows.map((r) => r.female);
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        const b = base.items[i], g = target.items[i];
        return `${ages[i]}<br>${t("Men")} ${base.year}: ${num(b.male)} · ${target.year}: ${num(g.male)}<br>${t("Women")} ${base.year}: ${num(b.female)} · ${target.year}: ${num(g.female)}`;
      },
    },
    legend: { top: 0, data: [String(base.year), String(target.year)] },
    grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: "value", axisLabel: { formatter: (v) => num(Math.abs(v)) } },
    yAxis: { type: "category", data: ages, axisTick: { show: false } },
    graphic: [
      { type: "text", left: "15%", bottom: 5, style: { text: t("Men"), fill: PALETTE.male, font: "13px sans-serif" } },
      { type: "text", right: "10%", bottom: 5, style: { text: t("Women"), fill: PALETTE.female, font: "13px sans-serif" } },
    ],
    series: [
      { name: String(base.year), type: "bar", stack: "b", data: neg(base.items), itemStyle: { color: PALETTE.base, opacity: 0.45 }, barGap: "-100%", barWidth: "80%" },
      { name: String(base.year), type: "bar", stack: "b", data: pos(base.items), itemStyle: { color: PALETTE.base, opacity: 0.45 } },
      { name: String(target.year), type: "bar", stack: "t", data: neg(target.items), itemStyle: { color: "rgba(0,0,0,0)", borderColor: PALETTE.male, borderWidth: 1.5 }, barWidth: "80%" },
      { name: String(target.year), type: "bar", stack: "t", data: pos(target.items), itemStyle: { color: "rgba(0,0,0,0)", borderColor: PALETTE.female, borderWidth: 1.5 } },
    ],
  };
}

// The parts of openings and of new supply a year as two stacks of bars
// (parts: [{key, label, stack, color}]; rows: the API's years).
export function componentsOption(rows, parts, { yName, yMin, yMax }) {
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps) => {
        const r = rows[ps[0].dataIndex];
        return [r.year, ...parts.map((p) => `${p.label}: <b>${num(r[p.key])}</b>`)].join("<br>");
      },
    },
    legend: { bottom: 0, type: "plain" },
    grid: { left: 70, right: 20, top: 30, bottom: 110 },
    xAxis: { type: "category", data: rows.map((r) => String(r.year)) },
    yAxis: { type: "value", name: yName, min: yMin, max: yMax, axisLabel: { formatter: (v) => num(v) } },
    series: parts.map((p) => ({ name: p.label, type: "bar", stack: p.stack, data: rows.map((r) => r[p.key]), itemStyle: { color: p.color }, barMaxWidth: 18 })),
  };
}

export { PALETTE };
