import { get } from "../api.js";
import { h, table, pill, time, money, percent, fixed, amount, sign } from "../dom.js";

/// Performance and risk of the live and paper bots (per bot, summed per quote asset) and their closed
/// trades, paged.
export async function analyticsView(root) {
  const performance = h("section", { class: "card", "aria-labelledby": "perf-title" });
  const risk = h("section", { class: "card", "aria-labelledby": "risk-title" });
  const trades = h("div", { id: "analytics-trades" });
  const bot = h("select", { id: "a-bot" }, h("option", { value: "" }, "all bots"));
  const limit = 50;
  let offset = 0;
  let gone = false;
  const signed = (value, text) => h("span", { class: sign(value) }, text);
  const link = (id) => h("a", { href: `#/bots/${encodeURIComponent(id)}` }, id);

  async function loadSummary() {
    const [perf, danger] = await Promise.all([get("/api/v1/analytics/performance"), get("/api/v1/analytics/risk")]);
    if (gone) return;
    const chosen = bot.value;
    bot.replaceChildren(h("option", { value: "" }, "all bots"),
      perf.bots.map((b) => h("option", { value: b.bot, selected: b.bot === chosen }, `${b.bot} — ${b.name}`)));
    const truncated = perf.bots.some((b) => b.truncated);
    performance.replaceChildren(h("h2", { id: "perf-title" }, "Performance"),
      h("div", { id: "perf-bots" }, table([
        { label: "Bot", value: (b) => link(b.bot) },
        { label: "Name", value: (b) => b.name },
        { label: "Market", value: (b) => `${b.symbol} ${b.timeframe}` },
        { label: "State", value: (b) => pill(b.lifecycle) },
        { label: "Equity", value: (b) => `${amount(b.equity)} ${b.quote_asset}` },
        { label: "Total P&L", value: (b) => signed(b.total_pnl, amount(b.total_pnl)) },
        { label: "Return", value: (b) => signed(b.total_return, percent(b.total_return)) },
        { label: "Realised", value: (b) => signed(b.realized_pnl, amount(b.realized_pnl)) },
        { label: "Unrealised", value: (b) => signed(b.unrealized_pnl, amount(b.unrealized_pnl)) },
        { label: "Today", value: (b) => signed(b.pnl_today, amount(b.pnl_today)) },
        { label: "Trades", value: (b) => `${b.trades} (${b.wins} won, ${b.losses} lost)` },
        { label: "Win rate", value: (b) => percent(b.win_rate) },
        { label: "Profit factor", value: (b) => fixed(b.profit_factor) },
        { label: "Sharpe", value: (b) => fixed(b.sharpe) },
        { label: "Sortino", value: (b) => fixed(b.sortino) },
        { label: "Max drawdown", value: (b) => percent(b.max_drawdown) },
        { label: "Drawdown now", value: (b) => percent(b.current_drawdown) },
      ], perf.bots, "No bots yet.")),
      truncated ? h("p", { class: "muted" }, "Some figures come from the latest equity snapshots only (the history is long).") : "",
      h("h2", {}, "Totals per quote asset"),
      h("div", { id: "perf-totals" }, table([
        { label: "Quote", value: (t) => t.quote_asset },
        { label: "Bots", value: (t) => t.bots },
        { label: "Initial", value: (t) => amount(t.initial_balance) },
        { label: "Equity", value: (t) => amount(t.equity) },
        { label: "Total P&L", value: (t) => signed(t.total_pnl, amount(t.total_pnl)) },
        { label: "Realised", value: (t) => signed(t.realized_pnl, amount(t.realized_pnl)) },
        { label: "Unrealised", value: (t) => signed(t.unrealized_pnl, amount(t.unrealized_pnl)) },
        { label: "Today", value: (t) => signed(t.pnl_today, amount(t.pnl_today)) },
        { label: "Trades", value: (t) => `${t.trades} (${t.wins} won, ${t.losses} lost)` },
        { label: "Win rate", value: (t) => percent(t.win_rate) },
      ], perf.totals, "nothing to sum yet")));
    const s = (row) => row.statistics || {};
    const largest = (row) => (s(row).largest_position_share === null || s(row).largest_position_share === undefined
      ? "—" : `${percent(s(row).largest_position_share)}${s(row).largest_position_asset ? ` (${s(row).largest_position_asset})` : ""}`);
    risk.replaceChildren(h("h2", { id: "risk-title" }, "Risk"),
      h("p", { class: "muted" }, "Value at risk: the loss in one bar that the bot's history exceeded in only 5 % (1 %) of bars, as a share of equity; CVaR: the average loss beyond it."),
      h("div", { id: "risk-bots" }, table([
        { label: "Bot", value: (r) => link(r.bot) },
        { label: "Equity", value: (r) => `${amount(r.equity)} ${r.quote_asset}` },
        { label: "Bars", value: (r) => s(r).observations ?? "—" },
        { label: "VaR 95 %", value: (r) => percent(s(r).value_at_risk95) },
        { label: "CVaR 95 %", value: (r) => percent(s(r).conditional_value_at_risk95) },
        { label: "VaR 99 %", value: (r) => percent(s(r).value_at_risk99) },
        { label: "CVaR 99 %", value: (r) => percent(s(r).conditional_value_at_risk99) },
        { label: "VaR 95 % amount", value: (r) => amount(r.value_at_risk95_amount) },
        { label: "Gross exposure", value: (r) => amount(s(r).gross_exposure) },
        { label: "Gross / equity", value: (r) => percent(s(r).gross_leverage) },
        { label: "Largest position", value: largest },
        { label: "Positions", value: (r) => (r.positions || []).map((p) => `${p.symbol} ${p.quantity}`).join(", ") || "flat" },
      ], danger.bots, "No bots yet.")),
      h("h2", {}, "Portfolio per quote asset"),
      h("div", { id: "risk-portfolio" }, table([
        { label: "Quote", value: (r) => r.quote_asset },
        { label: "Bots", value: (r) => r.bots },
        { label: "Equity", value: (r) => amount(r.equity) },
        { label: "VaR 95 % amount (sum, upper bound)", value: (r) => amount(r.value_at_risk95_amount) },
        { label: "Gross exposure", value: (r) => amount(s(r).gross_exposure) },
        { label: "Net exposure", value: (r) => amount(s(r).net_exposure) },
        { label: "Gross / equity", value: (r) => percent(s(r).gross_leverage) },
        { label: "Largest position", value: largest },
        { label: "Herfindahl", value: (r) => fixed(s(r).herfindahl_index) },
      ], danger.portfolio, "nothing to sum yet")));
  }

  async function loadTrades() {
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (bot.value) query.set("bot", bot.value);
    try {
      const data = await get(`/api/v1/analytics/trades?${query}`);
      if (gone) return;
      const summary = Object.entries(data.summary || {}).map(([quote, t]) =>
        h("li", {}, h("strong", {}, quote), `: ${t.count} trades · win rate ${percent(t.win_rate)} · profit factor ${fixed(t.profit_factor)} · net ${amount(t.net_profit)}`));
      const last = Math.min(data.total, offset + data.trades.length);
      trades.replaceChildren(
        summary.length ? h("ul", { class: "feed", id: "trade-summary" }, summary) : "",
        table([
          { label: "Exit", value: (t) => time(t.exit_time) },
          { label: "Bot", value: (t) => link(t.bot) },
          { label: "Symbol", value: (t) => t.symbol },
          { label: "Direction", value: (t) => t.direction },
          { label: "Entry", value: (t) => time(t.entry_time) },
          { label: "Entry price", value: (t) => money(t.entry_price) },
          { label: "Exit price", value: (t) => money(t.exit_price) },
          { label: "Quantity", value: (t) => t.quantity },
          { label: "Net P&L", value: (t) => signed(t.net_pnl, amount(t.net_pnl)) },
          { label: "Return", value: (t) => signed(t.return_fraction, percent(t.return_fraction)) },
          { label: "Exit reason", value: (t) => t.exit_reason },
        ], data.trades, "no closed trades"),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "secondary", disabled: offset <= 0, onclick: () => { offset = Math.max(0, offset - limit); loadTrades(); } }, "Previous"),
          h("span", { class: "muted" }, data.total ? `${offset + 1}–${last} of ${data.total} trades` : "0 trades"),
          h("button", { type: "button", class: "secondary", disabled: last >= data.total, onclick: () => { offset += limit; loadTrades(); } }, "Next")));
    } catch (error) {
      trades.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }

  const filter = h("form", { class: "actions", id: "trade-filter" },
    h("label", { for: "a-bot" }, "Bot", bot), h("button", { type: "submit" }, "Show"));
  filter.addEventListener("submit", (event) => { event.preventDefault(); offset = 0; loadTrades(); });
  const refresh = h("button", { type: "button", class: "secondary", id: "analytics-refresh" }, "Refresh");
  refresh.addEventListener("click", async () => {
    try { await loadSummary(); await loadTrades(); } catch (error) { performance.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message)); }
  });
  await loadSummary();
  root.append(h("div", { class: "actions" }, h("h1", {}, "Analytics"), refresh), performance, risk,
    h("section", { class: "card", "aria-labelledby": "closed-title" }, h("h2", { id: "closed-title" }, "Closed trades"), filter, trades));
  await loadTrades();
  return () => { gone = true; };
}
