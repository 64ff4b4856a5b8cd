import { get, post, put } from "../api.js";
import * as live from "../live.js";
import { h, table, pill, toast, errorList, money, time } from "../dom.js";
import { candleChart, lineChart, ema } from "../charts.js";

const UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_678_400_000 };

/// A candle interval ("1m", "15m", "4h", "1d", "1w", "1M") in milliseconds; null when unknown.
function intervalMillis(text) {
  const match = /^(\d+)([mhdwM])$/.exec(text || "");
  return match ? Number(match[1]) * UNITS[match[2]] : null;
}

/// "mm:ss", or "h:mm:ss" from an hour on.
function clock(milliseconds) {
  const seconds = Math.ceil(milliseconds / 1000);
  const two = (n) => String(n).padStart(2, "0");
  const hours = Math.floor(seconds / 3600), minutes = Math.floor((seconds % 3600) / 60);
  return hours ? `${hours}:${two(minutes)}:${two(seconds % 60)}` : `${two(minutes)}:${two(seconds % 60)}`;
}

/// One bot: status and controls, candles with EMAs and fills, equity and drawdown, positions, orders,
/// fills, log tail and the config editor.
export async function botView(root, id) {
  const path = `/api/v1/bots/${encodeURIComponent(id)}`;
  const header = h("div", {});
  const price = h("section", { class: "card" });
  const equity = h("section", { class: "card" });
  const positions = h("section", { class: "card" });
  const orders = h("section", { class: "card" });
  const fills = h("section", { class: "card" });
  const logs = h("section", { class: "card" });
  const editor = h("section", { class: "card" });
  root.append(header, price, h("div", { class: "cols" }, equity, positions), orders, fills, logs, editor);
  // The next candle closes one interval after the last one's close: the bot checks its signals then.
  const countdown = h("p", { id: "next-check", class: "muted", role: "timer", hidden: true });
  let nextCheck = null;
  let interval = null;
  function tick() {
    countdown.hidden = nextCheck === null;
    if (nextCheck === null) return;
    const left = nextCheck - Date.now();
    countdown.textContent = left > 0 ? `Next check in ${clock(left)}` : "Next check due";
  }

  async function refresh() {
    const detail = await get(path);
    const bot = detail.bot, status = detail.status;
    const act = (action) => async () => {
      try { await post(`${path}/${action}`); toast(`${id}: ${action}`); } catch (error) { toast(error.message, "error"); }
      refresh();
    };
    const active = ["running", "paused", "starting", "reconciling"].includes(bot.lifecycle);
    header.replaceChildren(...[
      h("h1", {}, `${bot.name} `, pill(bot.lifecycle), " ", pill(bot.trading_state)),
      status && status.feed.source === "simulated" ? h("p", { class: "banner" }, "Simulated market: synthetic prices, not real quotes.") : null,
      h("div", { class: "actions" },
        active ? h("button", { type: "button", class: "secondary", onclick: act("stop") }, "Stop") : h("button", { type: "button", onclick: act("start") }, "Start"),
        bot.lifecycle === "running" ? h("button", { type: "button", class: "secondary", onclick: act("pause") }, "Pause") : null,
        bot.lifecycle === "paused" ? h("button", { type: "button", class: "secondary", onclick: act("resume") }, "Resume") : null),
      status ? h("p", { class: "muted", id: "bot-summary" },
        `equity ${money(status.broker.equity)} ${status.broker.quote_asset} · cash ${money(status.broker.cash)} · realised P&L ${money(status.realized_pnl)} · ${status.closed_trades} closed trades · last price ${status.feed.last_price ?? "–"} · last candle ${time(status.feed.last_candle_time)}`,
        status.last_signal ? ` · last signal ${status.last_signal.action}: ${status.last_signal.reasoning}` : "") : null,
      countdown,
      bot.last_error ? h("p", { class: "bad" }, `last error: ${bot.last_error}`) : null].filter(Boolean));
    interval = status ? intervalMillis(status.feed.interval) : null;
    const last = status ? status.feed.last_candle_time : null;
    nextCheck = ["running", "paused"].includes(bot.lifecycle) && interval && last !== null && last !== undefined ? last + 2 * interval : null;
    tick();
    const [candles, points, fillList, orderList, positionList, logTail] = await Promise.all([
      get(`${path}/candles?limit=150`), get(`${path}/equity?limit=2000`), get(`${path}/fills?limit=200`),
      get(`${path}/orders?limit=50`), get(`${path}/positions`), get(`${path}/logs?limit=60`)]);
    const closes = candles.items.map((c) => Number(c.close));
    price.replaceChildren(h("h2", {}, "Price (EMA 9 and 21, fills marked)"), candleChart(candles.items, {
      label: `${id} candles`,
      lines: [{ values: ema(closes, 9), class: "line" }, { values: ema(closes, 21), class: "line2" }],
      markers: fillList.items.map((f) => ({ timestamp: f.timestamp, price: f.price, side: f.side })),
    }));
    equity.replaceChildren(h("h2", {}, "Equity and drawdown"), lineChart(
      points.items.map((p) => ({ t: p.timestamp, v: Number(p.equity) })),
      { label: `${id} equity`, drawdown: points.items.map((p) => p.drawdown) }));
    positions.replaceChildren(h("h2", {}, "Positions"), table([
      { label: "Symbol", value: (p) => p.symbol }, { label: "Quantity", value: (p) => p.quantity },
      { label: "Average", value: (p) => money(p.average_price) }, { label: "Realised", value: (p) => money(p.realized_pnl) },
    ], positionList.items, "flat"));
    orders.replaceChildren(h("h2", {}, "Orders"), table([
      { label: "Id", value: (o) => o.client_order_id }, { label: "Side", value: (o) => o.side },
      { label: "Type", value: (o) => o.type }, { label: "Quantity", value: (o) => o.quantity },
      { label: "Price", value: (o) => o.price ?? o.stop_price ?? "market" }, { label: "Status", value: (o) => pill(o.status) },
      { label: "Tag", value: (o) => o.tag ?? "" },
    ], orderList.items, "no orders yet"));
    fills.replaceChildren(h("h2", {}, "Trades (fills)"), table([
      { label: "Time", value: (f) => time(f.timestamp) }, { label: "Side", value: (f) => f.side },
      { label: "Quantity", value: (f) => f.quantity }, { label: "Price", value: (f) => money(f.price) },
      { label: "Fee", value: (f) => `${f.fee} ${f.fee_asset}` },
    ], fillList.items, "no fills yet"));
    logs.replaceChildren(h("h2", {}, "Log"), h("pre", { class: "scroll", id: "log-tail" }, logTail.lines.slice(-60).join("\n")));
    if (!editor.dataset.ready || active !== (editor.dataset.active === "1")) renderEditor(detail, active);
  }

  function renderEditor(detail, active) {
    editor.dataset.ready = "1";
    editor.dataset.active = active ? "1" : "0";
    const text = h("textarea", { id: "config", "aria-label": "Bot config (JSON)", spellcheck: "false" });
    text.value = JSON.stringify(JSON.parse(detail.config), null, 2);
    const reset = h("input", { type: "checkbox", id: "reset" });
    const errors = h("div", {});
    const save = h("button", { type: "submit", disabled: active }, active ? "Stop the bot to change its config" : "Save config");
    const form = h("form", { class: "stack" }, text,
      h("label", { for: "reset" }, h("span", {}, reset, " forget the bot's orders, journal and paper balances (required once it has traded)")),
      errors, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      errors.replaceChildren();
      let config;
      try { config = JSON.parse(text.value); } catch (error) { errors.replaceChildren(h("p", { class: "bad" }, `not valid JSON: ${error.message}`)); return; }
      try {
        await put(path, { config, reset: reset.checked });
        toast("config saved");
        delete editor.dataset.ready;
        refresh();
      } catch (error) {
        errors.replaceChildren(errorList(error));
      }
    });
    editor.replaceChildren(h("h2", {}, "Config"), form);
  }

  await refresh();
  let pending = null;
  const soon = () => { pending ??= setTimeout(() => { pending = null; refresh().catch(() => {}); }, 700); };
  const stops = ["order_update", "equity_update", "position_update", "bot_state", "trade_executed"].map((type) =>
    live.on(type, (message) => { if (message.bot === id || message.data?.bot === id) soon(); }));
  // A closed candle (its close time in `timestamp`) moves the countdown on before the next refresh.
  stops.push(live.on("price_update", (message) => {
    if (message.bot !== id || nextCheck === null || !interval) return;
    const close = Date.parse(message.data?.timestamp);
    if (Number.isFinite(close)) { nextCheck = Math.max(nextCheck, close + interval); tick(); }
  }));
  live.subscribe(id, ["order_update", "position_update", "equity_update", "bot_state"]);
  const timer = setInterval(soon, 10000);
  const ticker = setInterval(tick, 1000);
  return () => {
    stops.forEach((stop) => stop()); live.unsubscribe(id); clearInterval(timer); clearInterval(ticker);
    if (pending) clearTimeout(pending);
  };
}
