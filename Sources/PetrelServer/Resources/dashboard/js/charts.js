// Small SVG charts drawn by hand: candles with indicator lines and trade markers, a line (equity) with an
// optional drawdown area below it.
const NS = "http://www.w3.org/2000/svg";

function el(name, attributes = {}, parent) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function frame(width, height, label) {
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": label });
  el("title", {}, svg).textContent = label;
  return svg;
}

/// Maps `min`…`max` onto `bottom`…`top` (SVG y grows downwards).
function scale(min, max, bottom, top) {
  const span = max - min || 1;
  return (value) => bottom - ((value - min) / span) * (bottom - top);
}

function axisLabels(svg, min, max, y, width) {
  for (const value of [min, (min + max) / 2, max]) {
    const text = el("text", { x: width - 4, y: y(value) - 2, "text-anchor": "end" }, svg);
    text.textContent = Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 });
  }
}

/// Exponential moving average of closes (for the indicator overlay).
export function ema(values, period) {
  const k = 2 / (period + 1);
  const out = [];
  let current = null;
  values.forEach((value, index) => {
    current = current === null ? value : value * k + current * (1 - k);
    out.push(index + 1 >= period ? current : null);
  });
  return out;
}

/// Candles `[{timestamp, open, high, low, close}]` (prices as strings or numbers), `lines`: [{values, class}],
/// `markers`: [{timestamp, price, side}].
export function candleChart(candles, { lines = [], markers = [], label = "Price chart" } = {}) {
  const width = 760, height = 300, pad = 6;
  const svg = frame(width, height, label);
  if (!candles.length) {
    el("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, svg).textContent = "no candles yet";
    return svg;
  }
  const highs = candles.map((c) => +c.high), lows = candles.map((c) => +c.low);
  const min = Math.min(...lows), max = Math.max(...highs);
  const y = scale(min, max, height - pad, pad);
  const step = (width - 60) / candles.length;
  const x = (index) => index * step + step / 2;
  el("line", { x1: 0, x2: width - 58, y1: height - 1, y2: height - 1, class: "axis" }, svg);
  candles.forEach((c, index) => {
    const up = +c.close >= +c.open;
    const group = el("g", { class: up ? "up" : "down" }, svg);
    el("line", { x1: x(index), x2: x(index), y1: y(+c.high), y2: y(+c.low) }, group);
    const top = y(Math.max(+c.open, +c.close)), bottom = y(Math.min(+c.open, +c.close));
    el("rect", { x: x(index) - step * 0.35, y: top, width: Math.max(1, step * 0.7), height: Math.max(1, bottom - top) }, group);
  });
  for (const line of lines) {
    const points = line.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    if (points.length > 1) el("polyline", { points: points.join(" "), class: line.class || "line" }, svg);
  }
  const first = candles[0].timestamp, last = candles[candles.length - 1].timestamp;
  for (const marker of markers) {
    if (marker.timestamp < first || marker.timestamp > last + 86400000) continue;
    const index = candles.findIndex((c) => c.timestamp >= marker.timestamp);
    const at = index < 0 ? candles.length - 1 : index;
    const py = y(+marker.price);
    const buy = marker.side === "buy";
    const shape = buy ? `${x(at) - 5},${py + 9} ${x(at) + 5},${py + 9} ${x(at)},${py + 2}` : `${x(at) - 5},${py - 9} ${x(at) + 5},${py - 9} ${x(at)},${py - 2}`;
    el("polygon", { points: shape, class: buy ? "buy" : "sell" }, svg);
  }
  axisLabels(svg, min, max, y, width);
  return svg;
}

/// A line over `points` `[{t, v}]`, with the drawdown (0…1) as a red area when given.
export function lineChart(points, { label = "Chart", drawdown = null } = {}) {
  const width = 760, height = drawdown ? 240 : 180, pad = 6;
  const svg = frame(width, height, label);
  if (points.length < 2) {
    el("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, svg).textContent = "not enough data yet";
    return svg;
  }
  const top = drawdown ? height * 0.7 : height;
  const values = points.map((p) => p.v);
  const min = Math.min(...values), max = Math.max(...values);
  const y = scale(min, max, top - pad, pad);
  const x = (index) => (index / (points.length - 1)) * (width - 60);
  el("polyline", { points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.v).toFixed(1)}`).join(" "), class: "line" }, svg);
  axisLabels(svg, min, max, y, width);
  if (drawdown) {
    const worst = Math.max(0.0001, ...drawdown);
    const dy = (d) => top + (d / worst) * (height - top - pad);
    const area = [`0,${top}`].concat(drawdown.map((d, i) => `${x(i).toFixed(1)},${dy(d).toFixed(1)}`), [`${x(drawdown.length - 1)},${top}`]);
    el("polygon", { points: area.join(" "), class: "dd" }, svg);
    const text = el("text", { x: width - 4, y: height - 4, "text-anchor": "end" }, svg);
    text.textContent = `max drawdown ${(worst * 100).toFixed(2)} %`;
  }
  return svg;
}

/// Drawdown `values` (0…1 below the running peak, one per equity point) as a red area hanging from zero.
export function drawdownChart(values, { label = "Drawdown" } = {}) {
  const width = 760, height = 140, pad = 6;
  const svg = frame(width, height, label);
  if (values.length < 2) {
    el("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, svg).textContent = "not enough data yet";
    return svg;
  }
  const worst = Math.max(0.0001, ...values);
  // 0 at the top, the worst drawdown at the bottom.
  const y = scale(0, worst, pad, height - pad);
  const x = (index) => (index / (values.length - 1)) * (width - 60);
  el("line", { x1: 0, x2: width - 58, y1: pad, y2: pad, class: "axis" }, svg);
  const area = [`0,${pad}`].concat(values.map((d, i) => `${x(i).toFixed(1)},${y(d).toFixed(1)}`), [`${x(values.length - 1)},${pad}`]);
  el("polygon", { points: area.join(" "), class: "dd" }, svg);
  for (const value of [0, worst / 2, worst]) {
    const text = el("text", { x: width - 4, y: Math.max(12, y(value) - 2), "text-anchor": "end" }, svg);
    text.textContent = `${value ? "−" : ""}${(value * 100).toFixed(2)} %`;
  }
  return svg;
}

/// Drawdown from the running peak (0…1) of each equity value.
export function drawdowns(equity) {
  let peak = -Infinity;
  return equity.map((value) => {
    peak = Math.max(peak, value);
    return peak > 0 ? (peak - value) / peak : 0;
  });
}
