import { get, post } from "../api.js";
import * as live from "../live.js";
import { h, table, pill, toast, errorList, money, amount, markInvalid } from "../dom.js";
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

/// The create form's input of a config path an API error names (`$.broker.initial_balance`, `id`).
const CREATE_INPUTS = {
  id: "bot-id", name: "bot-name", "trading.symbol": "symbol", "data.symbol": "symbol", "data.interval": "interval",
  "data.data_source": "source", "data.file": "file", "data.speed": "speed", "broker.initial_balance": "balance",
  "risk_management.stop_loss_pct": "stop-loss", "risk_management.take_profit_pct": "take-profit", "strategy.type": "strategy",
};
function createInputFor(field) {
  const path = field.replace(/^\$\./, "").replace(/^config\./, "");
  if (path.startsWith("strategy.params.")) return `param-${path.slice("strategy.params.".length)}`;
  return CREATE_INPUTS[path] || null;
}

/// Quote assets the server splits a concatenated symbol at (PetrelCore's `Symbol.knownQuoteAssets`).
const KNOWN_QUOTES = new Set(["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "DAI", "EUR", "GBP", "TRY", "BRL", "AUD", "JPY",
  "USD", "BTC", "ETH", "BNB", "XRP", "TRX", "DOGE"]);

/// The config's spelling of a listed coin: concatenated like the form's default (`BTC/USDT` → `BTCUSDT`),
/// or `BASE/QUOTE` when the server could not split the concatenated form at its quote.
function configSymbol(coin) {
  const base = String(coin.base).toUpperCase();
  const quote = String(coin.quote).toUpperCase();
  return KNOWN_QUOTES.has(quote) ? `${base}${quote}` : `${base}/${quote}`;
}

/// Suggestions for the symbol input: the venue's spot coins matching what is typed (GET /api/search-coins,
/// debounced), as the options of the input's datalist; `hint` says how many and whether the venue is simulated.
function symbolSuggestions(input, datalist, hint) {
  let timer = null;
  let asked = 0;
  let last = "";
  async function search() {
    const q = input.value.trim();
    if (!q || q.length > 20 || q === last) return;
    if ([...datalist.options].some((o) => o.value === q.toUpperCase())) return; // a suggestion was just chosen
    last = q;
    const mine = ++asked;
    try {
      const data = await get(`/api/search-coins?${new URLSearchParams({ q })}`);
      if (mine !== asked) return;
      const coins = (data.coins || []).filter((c) => c.kind === "spot");
      const note = data.simulated ? " (simulated venue)" : "";
      const where = data.simulated ? note : ` on ${data.venue}`;
      datalist.replaceChildren(...coins.map((c) => h("option", { value: configSymbol(c) },
        `${c.symbol}${c.price === undefined ? "" : ` · ${amount(c.price)}`}${note}`)));
      hint.textContent = coins.length
        ? `${coins.length} spot match${coins.length === 1 ? "" : "es"}${where}`
        : `no spot coin matches ${q}${where}`;
    } catch (error) {
      if (mine === asked) { last = ""; hint.textContent = `search failed: ${error.message}`; }
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
}

/// A seed 002 config built from a strategy's parameter schema and a few market and risk fields.
async function createForm(refresh) {
  const { strategies } = await get("/api/v1/strategies");
  const errors = h("div", { id: "create-errors" });
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const input = (id, attributes) => h("input", { id, name: id, ...attributes });
  const { select: strategy, params, render: renderParams, values: parameterValues } = strategyFields(strategies);
  const symbol = input("symbol", { value: "BTCUSDT", required: true, list: "symbol-options", autocomplete: "off",
    spellcheck: "false", "aria-describedby": "symbol-hint" });
  const symbolOptions = h("datalist", { id: "symbol-options" });
  const symbolHint = h("p", { id: "symbol-hint", class: "muted hint", "aria-live": "polite" }, "Suggestions appear as you type, e.g. eth.");
  symbolSuggestions(symbol, symbolOptions, symbolHint);
  const form = h("form", { class: "stack", id: "create-bot" },
    field("bot-id", "Id (letters, digits, _ and -)", input("bot-id", { required: true, pattern: "[A-Za-z0-9_\\-]{1,40}" })),
    field("bot-name", "Name", input("bot-name", {})),
    field("strategy", "Strategy", strategy), params,
    field("symbol", "Symbol (type to search the venue's coins)", symbol), symbolHint, symbolOptions,
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
    markInvalid(form, null, createInputFor, "create-errors");
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
      markInvalid(form, error, createInputFor, "create-errors");
    }
  });
  return form;
}
