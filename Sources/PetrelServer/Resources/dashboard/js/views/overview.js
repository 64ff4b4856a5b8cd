import { get } from "../api.js";
import * as live from "../live.js";
import { h, money, time } from "../dom.js";

/// Total balance, P&L, open positions, bots by state, the live trade feed and alerts.
export async function overviewView(root) {
  const { bots } = await get("/api/v1/bots");
  const statuses = await Promise.all(
    bots.filter((b) => ["running", "paused", "reconciling"].includes(b.lifecycle))
      .map((b) => get(`/api/v1/bots/${encodeURIComponent(b.id)}/status`).catch(() => null)));
  const running = statuses.filter(Boolean);
  const equity = running.reduce((sum, s) => sum + Number(s.broker.equity), 0);
  const realized = running.reduce((sum, s) => sum + Number(s.realized_pnl), 0);
  const unrealized = running.reduce((sum, s) => sum + s.positions.reduce((p, x) => p + Number(x.unrealized_pnl), 0), 0);
  const positions = running.reduce((sum, s) => sum + s.positions.length, 0);
  const states = {};
  for (const bot of bots) states[bot.lifecycle] = (states[bot.lifecycle] || 0) + 1;
  const stat = (label, value, id, kind = "") =>
    h("div", { class: "card stat" }, h("div", { class: "muted" }, label), h("div", { class: `value ${kind}`, id }, value));
  const feed = h("ul", { class: "feed", id: "trade-feed", "aria-live": "polite" });
  const alerts = h("ul", { class: "feed", id: "alerts", "aria-live": "polite" });
  const simulated = bots.some((b) => b.name.toLowerCase().includes("simulated"));
  root.append(...[
    h("h1", {}, "Overview"),
    simulated ? h("p", { class: "banner" }, "Some bots trade on the built-in SIMULATED market: prices are synthetic, not real.") : null,
    h("div", { class: "grid" },
      stat("Total equity (running bots)", money(equity), "total-equity"),
      stat("P&L total", money(realized + unrealized), "pnl-total", realized + unrealized >= 0 ? "good" : "bad"),
      stat("Unrealised P&L", money(unrealized), "pnl-open", unrealized >= 0 ? "good" : "bad"),
      stat("Open positions", positions, "open-positions"),
      stat("Bots", Object.entries(states).map(([k, v]) => `${v} ${k}`).join(", ") || "none", "bot-states")),
    h("div", { class: "cols" },
      h("section", { class: "card", "aria-labelledby": "feed-title" }, h("h2", { id: "feed-title" }, "Live trades"), feed),
      h("section", { class: "card", "aria-labelledby": "alerts-title" }, h("h2", { id: "alerts-title" }, "Alerts"), alerts))].filter(Boolean));
  const stops = [
    live.on("trade_executed", (message) => {
      const d = message.data;
      feed.prepend(h("li", { class: "trade" },
        h("strong", {}, d.bot || ""), ` ${d.side || d.decision || ""} `,
        d.quantity ? `${d.quantity} ${d.symbol} @ ${d.price}` : `${d.amount} ${d.from_pair} → ${d.to_pair}`,
        h("span", { class: "muted" }, ` ${time(message.timestamp)}`)));
      while (feed.children.length > 50) feed.lastChild.remove();
    }),
    live.on("log", (message) => {
      if (!["error", "warning"].includes(message.data.level)) return;
      alerts.prepend(h("li", { class: "bad" }, `${message.bot}: ${message.data.message}`));
    }),
    live.on("bot_state", (message) => {
      if (message.data.trading_state === "halted") alerts.prepend(h("li", { class: "warn" }, `${message.bot} halted: ${message.data.reason}`));
    }),
  ];
  live.subscribe("*", ["log", "bot_state"]);
  return () => { stops.forEach((stop) => stop()); live.unsubscribe("*"); };
}
