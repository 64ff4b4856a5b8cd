import { get, post } from "../api.js";
import * as live from "../live.js";
import { h, table, pill, toast, errorList, money } from "../dom.js";
import { strategyFields } from "../strategy-form.js";

function controls(bot, refresh) {
  const act = (action) => async () => {
    try { await post(`/api/v1/bots/${encodeURIComponent(bot.id)}/${action}`); toast(`${bot.id}: ${action}`); }
    catch (error) { toast(`${bot.id}: ${error.message}`, "error"); }
    refresh();
  };
  const running = ["running", "paused", "starting", "reconciling"].includes(bot.lifecycle);
  return h("div", { class: "actions" },
    running ? null : h("button", { type: "button", onclick: act("start"), "aria-label": `Start ${bot.id}` }, "Start"),
    running ? h("button", { type: "button", class: "secondary", onclick: act("stop"), "aria-label": `Stop ${bot.id}` }, "Stop") : null,
    bot.lifecycle === "running" ? h("button", { type: "button", class: "secondary", onclick: act("pause"), "aria-label": `Pause ${bot.id}` }, "Pause") : null,
    bot.lifecycle === "paused" ? h("button", { type: "button", class: "secondary", onclick: act("resume"), "aria-label": `Resume ${bot.id}` }, "Resume") : null);
}

/// Bot list with controls, the emergency stop, and the create-bot form.
export async function botsView(root) {
  const list = h("div", { id: "bot-list" });
  const prices = {};
  async function refresh() {
    const { bots } = await get("/api/v1/bots");
    list.replaceChildren(table([
      { label: "Bot", value: (b) => h("a", { href: `#/bots/${encodeURIComponent(b.id)}` }, b.id) },
      { label: "Name", value: (b) => b.name },
      { label: "State", value: (b) => pill(b.lifecycle) },
      { label: "Trading", value: (b) => pill(b.trading_state) },
      { label: "Last price", value: (b) => h("span", { dataset: { price: b.id } }, prices[b.id] || "–") },
      { label: "", value: (b) => controls(b, refresh) },
    ], bots, "No bots yet: create one below."));
  }
  await refresh();
  const emergency = h("button", { type: "button", class: "danger", id: "emergency" }, "Emergency stop");
  emergency.addEventListener("click", async () => {
    if (!confirm("Halt every running bot you control: cancel orders, close positions?")) return;
    const { halted } = await post("/api/v1/bots/emergency-stop");
    toast(`halted: ${halted.join(", ") || "none"}`);
    refresh();
  });
  root.append(h("div", { class: "actions" }, h("h1", {}, "Bots"), emergency), h("section", { class: "card" }, list),
    h("section", { class: "card" }, h("h2", {}, "Create a bot"), await createForm(refresh)));
  const timer = setInterval(refresh, 5000);
  const stop = live.on("price_update", (message) => {
    prices[message.bot] = message.data.last;
    const cell = list.querySelector(`[data-price="${CSS.escape(message.bot)}"]`);
    if (cell) cell.textContent = money(message.data.last);
  });
  return () => { clearInterval(timer); stop(); };
}

/// A seed 002 config built from a strategy's parameter schema and a few market and risk fields.
async function createForm(refresh) {
  const { strategies } = await get("/api/v1/strategies");
  const errors = h("div", {});
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const input = (id, attributes) => h("input", { id, name: id, ...attributes });
  const { select: strategy, params, render: renderParams, values: parameterValues } = strategyFields(strategies);
  const form = h("form", { class: "stack", id: "create-bot" },
    field("bot-id", "Id (letters, digits, _ and -)", input("bot-id", { required: true, pattern: "[A-Za-z0-9_\\-]{1,40}" })),
    field("bot-name", "Name", input("bot-name", {})),
    field("strategy", "Strategy", strategy), params,
    field("symbol", "Symbol", input("symbol", { value: "BTCUSDT", required: true })),
    field("interval", "Candle interval", h("select", { id: "interval" }, ["1m", "5m", "15m", "1h", "4h", "1d"].map((i) => h("option", { value: i, selected: i === "15m" }, i)))),
    field("source", "Market", h("select", { id: "source" }, h("option", { value: "simulated" }, "simulated (synthetic prices)"), h("option", { value: "replay" }, "replay a candle file"))),
    field("file", "Candle file (replay; relative to the data directory)", input("file", {})),
    field("speed", "Speed (× real time)", input("speed", { type: "number", value: "900", min: "0.01", step: "any" })),
    field("balance", "Paper balance", input("balance", { type: "number", value: "10000", min: "1", step: "any" })),
    field("stop-loss", "Stop loss %", input("stop-loss", { type: "number", value: "2", min: "0", step: "any" })),
    field("take-profit", "Take profit %", input("take-profit", { type: "number", value: "4", min: "0", step: "any" })),
    errors, h("button", { type: "submit" }, "Create bot"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    const value = (id) => form.querySelector(`#${id}`).value;
    const parameters = parameterValues();
    const data = { data_source: value("source"), symbol: value("symbol"), interval: value("interval"), lookback_bars: 100, speed: Number(value("speed")) };
    if (value("source") === "replay") data.file = value("file");
    const config = {
      broker: { type: "paper", initial_balance: Number(value("balance")), commission: 0.001 },
      trading: { symbol: value("symbol"), position_size: 0.5, max_positions: 1 },
      data,
      strategy: { type: value("strategy"), params: parameters },
      risk_management: { stop_loss_pct: Number(value("stop-loss")), take_profit_pct: Number(value("take-profit")) },
    };
    try {
      await post("/api/v1/bots", { id: value("bot-id"), name: value("bot-name") || undefined, config });
      toast(`created ${value("bot-id")}`);
      form.reset();
      renderParams();
      refresh();
    } catch (error) {
      errors.replaceChildren(errorList(error));
    }
  });
  return form;
}
