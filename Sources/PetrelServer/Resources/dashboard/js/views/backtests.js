import { get, post, del, blob, currentUser } from "../api.js";
import { h, table, pill, toast, errorList, money, time, percent, fixed, amount, sign, markInvalid } from "../dom.js";
import { lineChart, drawdownChart, drawdowns } from "../charts.js";
import { strategyFields } from "../strategy-form.js";

const BASE = "/api/v1/analytics/backtests";
const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d"];
const ACTIVE = ["queued", "running"];

/// The form input of a request member an API error names.
const INPUTS = {
  name: "bt-name", strategy: "bt-strategy", parameters: "bt-params", data: "bt-source", "data.file": "bt-source",
  "data.simulated": "bt-source", "data.symbol": "bt-symbol", "data.timeframe": "bt-timeframe",
  "data.candles": "bt-candles", "data.seed": "bt-seed", from: "bt-from", to: "bt-to",
  initial_balance: "bt-balance", fee: "bt-fee", slippage: "bt-slippage", allow_short: "bt-short",
};
const inputFor = (field) => (field.startsWith("parameters.") ? `bt-param-${field.slice("parameters.".length)}` : INPUTS[field] || null);

/// Backtest jobs: the run form (strategy, parameters, data, costs), the job list with live progress, and
/// links to each finished job's result.
export async function backtestsView(root) {
  const trader = currentUser().role !== "viewer";
  const list = h("div", { id: "backtest-jobs" });
  const count = h("p", { class: "muted" });
  let jobs = [];
  let gone = false;
  let busy = false;

  function status(job) {
    const parts = [pill(job.status)];
    if (ACTIVE.includes(job.status)) {
      parts.push(" ", h("progress", { id: `progress-${job.id}`, max: "1", value: String(job.progress || 0), "aria-label": `Progress of ${job.name}` }),
        " ", h("span", { id: `progress-text-${job.id}`, class: "muted" }, percent(job.progress || 0, 0)));
    }
    if (job.error && job.status === "failed") parts.push(h("div", { class: "bad" }, job.error));
    else if (job.error) parts.push(h("div", { class: "muted" }, job.error));
    return h("span", {}, parts);
  }

  function actions(job) {
    return h("div", { class: "actions" },
      job.status === "succeeded" ? h("a", { class: "button", id: `view-${job.id}`, href: `#/backtests/${encodeURIComponent(job.id)}`, "aria-label": `View ${job.name}` }, "View") : null,
      trader && job.status === "queued" ? h("button", { type: "button", class: "secondary", id: `cancel-${job.id}`, "aria-label": `Cancel ${job.name}`, onclick: () => remove(job) }, "Cancel") : null,
      trader && !ACTIVE.includes(job.status) ? h("button", { type: "button", class: "secondary", id: `delete-${job.id}`, "aria-label": `Delete ${job.name}`, onclick: () => remove(job) }, "Delete") : null);
  }

  function render() {
    // Keep the keyboard focus on the same control across a redraw.
    const focused = list.contains(document.activeElement) ? document.activeElement.id : null;
    list.replaceChildren(table([
      { label: "Name", value: (j) => j.name },
      { label: "Status", value: status },
      { label: "Market", value: (j) => (j.summary ? `${j.summary.symbol} ${j.summary.timeframe} · ${j.summary.candles} candles` : "—") },
      { label: "Return", value: (j) => (j.summary ? h("span", { class: sign(j.summary.total_return) }, percent(j.summary.total_return)) : "—") },
      { label: "Buy & hold", value: (j) => (j.summary ? percent(j.summary.buy_and_hold_return) : "—") },
      { label: "Sharpe", value: (j) => (j.summary ? fixed(j.summary.sharpe_ratio) : "—") },
      { label: "Max drawdown", value: (j) => (j.summary ? percent(j.summary.max_drawdown) : "—") },
      { label: "Trades", value: (j) => (j.summary ? j.summary.trades ?? "—" : "—") },
      { label: "Created", value: (j) => time(j.created_at) },
      { label: "", value: actions },
    ], jobs, "No backtests yet: run one above."));
    if (focused) { const node = document.getElementById(focused); if (node) node.focus(); }
  }

  async function load() {
    try {
      const data = await get(`${BASE}?limit=50`);
      if (gone) return;
      jobs = data.jobs;
      count.textContent = data.total > jobs.length ? `the latest ${jobs.length} of ${data.total} backtests` : "";
      render();
    } catch (error) {
      list.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }

  async function remove(job) {
    const cancel = job.status === "queued";
    if (!cancel && !confirm(`Delete the backtest ${job.name} and its result?`)) return;
    try {
      await del(`${BASE}/${encodeURIComponent(job.id)}`);
      toast(cancel ? `cancelled ${job.name}` : `deleted ${job.name}`);
    } catch (error) {
      toast(`${job.name}: ${error.message}`, "error");
    }
    load();
  }

  /// Follows the queued and running jobs once a second: progress in place, a redraw when a status changes.
  async function poll() {
    const active = jobs.filter((j) => ACTIVE.includes(j.status));
    if (busy || gone || !active.length) return;
    busy = true;
    try {
      if (active.length > 5) { await load(); return; }
      const fresh = await Promise.all(active.map((j) => get(`${BASE}/${encodeURIComponent(j.id)}`).catch((error) => (error.status === 404 ? null : j))));
      if (gone) return;
      let changed = false;
      active.forEach((old, index) => {
        const job = fresh[index];
        if (!job || job.status !== old.status) { changed = true; return; }
        old.progress = job.progress;
        const bar = document.getElementById(`progress-${job.id}`);
        if (bar) bar.value = job.progress || 0;
        const text = document.getElementById(`progress-text-${job.id}`);
        if (text) text.textContent = percent(job.progress || 0, 0);
      });
      if (changed) await load();
    } finally {
      busy = false;
    }
  }

  root.append(h("h1", {}, "Backtests"),
    h("section", { class: "card", "aria-labelledby": "run-title" }, h("h2", { id: "run-title" }, "Run a backtest"),
      trader ? await runForm(load) : h("p", { class: "muted" }, "Viewers can look at backtests but not run them.")),
    h("section", { class: "card", "aria-labelledby": "jobs-title" }, h("h2", { id: "jobs-title" }, "Jobs"), count, list));
  await load();
  const timer = setInterval(() => { poll().catch(() => {}); }, 1000);
  return () => { gone = true; clearInterval(timer); };
}

/// The run form: a strategy with the parameter form from its schema, a candle file or the simulated
/// market, an optional window, the balance and the costs.
async function runForm(submitted) {
  const [{ strategies }, sets] = await Promise.all([
    get("/api/v1/strategies"),
    get("/api/v1/analytics/datasets").catch((error) => ({ directory: "", datasets: [], error: error.message }))]);
  const errors = h("div", { id: "bt-errors" });
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const input = (id, attributes) => h("input", { id, name: id, ...attributes });
  const { select: strategy, params, values } = strategyFields(strategies, "bt-");
  const source = h("select", { id: "bt-source", name: "bt-source" },
    h("option", { value: "simulated" }, "Simulated market (synthetic prices)"),
    sets.datasets.map((d) => h("option", { value: `file:${d.name}` }, `${d.name} (${money(d.bytes / 1024, 0)} KB, ${time(d.modified_at).slice(0, 10)})`)));
  const simulated = h("fieldset", { id: "bt-simulated" }, h("legend", {}, "Simulated market"),
    h("p", { class: "muted" }, "A seeded random walk: synthetic prices, not real quotes. The same seed gives the same market."),
    field("bt-symbol", "Symbol", input("bt-symbol", { value: "SIM/USDT", required: true })),
    field("bt-timeframe", "Timeframe", h("select", { id: "bt-timeframe", name: "bt-timeframe" }, TIMEFRAMES.map((t) => h("option", { value: t, selected: t === "15m" }, t)))),
    field("bt-candles", "Candles (100–200000)", input("bt-candles", { type: "number", value: "5000", min: "100", max: "200000", step: "1", required: true })),
    field("bt-seed", "Seed (optional)", input("bt-seed", { type: "number", min: "0", max: "2147483647", step: "1" })));
  const showSource = () => { simulated.hidden = source.value !== "simulated"; };
  source.addEventListener("change", showSource);
  showSource();
  const short = input("bt-short", { type: "checkbox" });
  const form = h("form", { class: "stack", id: "backtest-form" },
    field("bt-name", "Name (optional)", input("bt-name", { maxlength: "80" })),
    field("bt-strategy", "Strategy", strategy), params,
    field("bt-source", "Data", source),
    sets.error ? h("p", { class: "bad" }, `The candle files could not be listed: ${sets.error}`)
      : sets.datasets.length ? null : h("p", { class: "muted" }, `No candle files yet: put CSV files in ${sets.directory || "the server's candle folder"} to test on real data.`),
    simulated,
    h("div", { class: "actions" },
      field("bt-from", "From (optional, UTC)", input("bt-from", { type: "date" })),
      field("bt-to", "To (optional, UTC)", input("bt-to", { type: "date" }))),
    field("bt-balance", "Initial balance", input("bt-balance", { value: "10000", inputmode: "decimal", required: true })),
    field("bt-fee", "Fee per trade (fraction, 0.001 = 0.1 %)", input("bt-fee", { type: "number", value: "0.001", min: "0", max: "0.1", step: "any" })),
    field("bt-slippage", "Slippage (fraction)", input("bt-slippage", { type: "number", value: "0", min: "0", max: "0.1", step: "any" })),
    h("label", { for: "bt-short" }, h("span", {}, short, " allow short positions")),
    errors, h("button", { type: "submit" }, "Run backtest"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    markInvalid(form, null, inputFor, "bt-errors");
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    let data;
    if (source.value === "simulated") {
      data = { simulated: true, symbol: value("bt-symbol"), timeframe: value("bt-timeframe") };
      if (value("bt-candles")) data.candles = parseInt(value("bt-candles"), 10);
      if (value("bt-seed")) data.seed = parseInt(value("bt-seed"), 10);
    } else {
      data = { file: source.value.slice("file:".length) };
    }
    const body = { strategy: strategy.value, parameters: values(), data, initial_balance: value("bt-balance"), allow_short: short.checked };
    if (value("bt-name")) body.name = value("bt-name");
    if (value("bt-from")) body.from = value("bt-from");
    if (value("bt-to")) body.to = value("bt-to");
    if (value("bt-fee")) body.fee = Number(value("bt-fee"));
    if (value("bt-slippage")) body.slippage = Number(value("bt-slippage"));
    try {
      const job = await post(BASE, body);
      toast(`queued ${job.name}`);
      submitted();
    } catch (error) {
      errors.replaceChildren(errorList(error));
      markInvalid(form, error, inputFor, "bt-errors");
    }
  });
  return form;
}

/// One finished backtest: headline figures, equity and drawdown charts, the trades, the HTML report.
export async function backtestView(root, id) {
  const path = `${BASE}/${encodeURIComponent(id)}`;
  const back = h("p", {}, h("a", { href: "#/backtests" }, "← All backtests"));
  const job = await get(path);
  let result;
  try {
    result = await get(`${path}/result`);
  } catch (error) {
    root.append(back, h("h1", {}, job.name, " ", pill(job.status)), h("p", { class: "bad", role: "alert" }, error.message));
    return null;
  }
  const statistics = result.statistics || {};
  const tradeStats = statistics.trades || {};
  const market = (result.markets || [])[0];
  const strategy = result.strategy || {};
  const parameters = Object.entries(strategy.parameters || {}).map(([k, v]) => `${k}=${v}`).join(", ");
  const stat = (label, value, id, kind = "") =>
    h("div", { class: "card stat" }, h("div", { class: "muted" }, label), h("div", { class: `value ${kind}`, id }, value));
  const curve = (result.equityCurve || []).map((p) => ({ t: p.timestamp, v: Number(p.equity) }));
  const trades = result.trades || [];
  const shown = trades.slice(0, 200).map((t, index) => ({ ...t, number: index + 1 }));

  const download = h("button", { type: "button", id: "bt-download" }, "Download HTML report");
  let fetching = false;
  download.addEventListener("click", async () => {
    if (fetching) return;
    fetching = true;
    download.setAttribute("aria-busy", "true");
    try {
      const file = await blob(`${path}/report`);
      const url = URL.createObjectURL(file);
      const link = h("a", { href: url, download: `petrel-backtest-${id}.html`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      toast(error.message, "error");
    } finally {
      fetching = false;
      download.removeAttribute("aria-busy");
    }
  });

  root.append(back,
    h("div", { class: "actions" }, h("h1", {}, job.name), download),
    h("p", { class: "muted", id: "bt-info" },
      `${strategy.name || "?"}${parameters ? ` (${parameters})` : ""}`,
      market ? ` · ${market.symbol} ${market.timeframe} · ${market.candles} candles · ${time(market.firstTimestamp)} → ${time(market.lastTimestamp)}` : "",
      ` · finished ${time(job.finished_at)}`),
    h("div", { class: "grid compact", id: "bt-stats" },
      stat("Total return", percent(statistics.totalReturn), "bt-stat-return", sign(statistics.totalReturn)),
      stat("Final equity", amount(result.finalEquity), "bt-stat-equity"),
      stat("Buy & hold", percent(statistics.buyAndHoldReturn), "bt-stat-hold"),
      stat("CAGR", percent(statistics.cagr), "bt-stat-cagr"),
      stat("Sharpe", fixed(statistics.sharpeRatio), "bt-stat-sharpe"),
      stat("Sortino", fixed(statistics.sortinoRatio), "bt-stat-sortino"),
      stat("Max drawdown", percent(statistics.maxDrawdown), "bt-stat-drawdown"),
      stat("Trades", tradeStats.count ?? trades.length, "bt-stat-trades"),
      stat("Win rate", percent(tradeStats.winRate), "bt-stat-winrate"),
      stat("Profit factor", fixed(tradeStats.profitFactor), "bt-stat-pf"),
      stat("Fees", amount(result.totalFees), "bt-stat-fees")),
    h("section", { class: "card", id: "bt-equity", "aria-labelledby": "bt-equity-title" },
      h("h2", { id: "bt-equity-title" }, "Equity"), lineChart(curve, { label: `Equity of ${job.name}` })),
    h("section", { class: "card", id: "bt-drawdown", "aria-labelledby": "bt-drawdown-title" },
      h("h2", { id: "bt-drawdown-title" }, "Drawdown"), drawdownChart(drawdowns(curve.map((p) => p.v)), { label: `Drawdown of ${job.name}` })),
    h("section", { class: "card", id: "bt-trades", "aria-labelledby": "bt-trades-title" },
      h("h2", { id: "bt-trades-title" }, trades.length > shown.length ? `Trades (the first ${shown.length} of ${trades.length})` : "Trades"),
      table([
        { label: "#", value: (t) => t.number },
        { label: "Symbol", value: (t) => t.symbol },
        { label: "Direction", value: (t) => t.direction },
        { label: "Entry", value: (t) => time(t.entryTime) },
        { label: "Exit", value: (t) => time(t.exitTime) },
        { label: "Entry price", value: (t) => money(t.entryPrice) },
        { label: "Exit price", value: (t) => money(t.exitPrice) },
        { label: "Quantity", value: (t) => t.quantity },
        { label: "Net P&L", value: (t) => h("span", { class: sign(t.netPnL) }, amount(t.netPnL)) },
        { label: "Return", value: (t) => h("span", { class: sign(t.returnFraction) }, percent(t.returnFraction)) },
        { label: "Exit reason", value: (t) => t.exitReason },
      ], shown, "no trades: the strategy never entered")));
  return null;
}
