import { get, post, put, del, api, currentUser } from "../api.js";
import { h, table, pill, toast, errorList, time, markInvalid } from "../dom.js";
import { notificationSettings } from "./notifications.js";

const PAIRS = "/api/v1/trading-pairs";

/// The add-pair form's input of a request member an API error names.
const PAIR_INPUTS = { pair_symbol: "pair-symbol", priority: "pair-priority", is_enabled: "pair-enabled" };

/// Exchange accounts (write-only keys), the portfolio bot's settings and its trading pairs.
export async function settingsView(root) {
  const user = currentUser();
  const accounts = h("div", { id: "accounts" });
  async function loadAccounts() {
    if (user.role === "viewer") { accounts.replaceChildren(h("p", { class: "muted" }, "Viewers cannot hold exchange accounts.")); return; }
    const { items } = await get("/api/v1/exchange-accounts");
    accounts.replaceChildren(table([
      { label: "Name", value: (a) => a.name }, { label: "Venue", value: (a) => a.venue },
      { label: "Key", value: (a) => `…${a.key_hint}` }, { label: "Updated", value: (a) => time(a.updated_at) },
      { label: "", value: (a) => h("button", { type: "button", class: "secondary", onclick: async () => {
        if (!confirm(`Delete the keys of ${a.name}?`)) return;
        await api("DELETE", `/api/v1/exchange-accounts/${a.id}`); loadAccounts();
      } }, "Delete") },
    ], items, "no exchange accounts"));
  }
  const accountErrors = h("div", {});
  const accountForm = h("form", { class: "stack", id: "account-form", autocomplete: "off" },
    h("label", { for: "acct-name" }, "Name (what a config's broker.account names)", h("input", { id: "acct-name", required: true })),
    h("label", { for: "acct-venue" }, "Venue", h("select", { id: "acct-venue" },
      ["binance", "binance_testnet", "okx", "okx_demo", "uphold", "uphold_sandbox", "ibkr"].map((v) => h("option", { value: v }, v)))),
    h("label", { for: "acct-key" }, "API key", h("input", { id: "acct-key", required: true, autocomplete: "off" })),
    h("label", { for: "acct-secret" }, "API secret", h("input", { id: "acct-secret", type: "password", required: true, autocomplete: "new-password" })),
    h("label", { for: "acct-pass" }, "Passphrase (OKX)", h("input", { id: "acct-pass", type: "password", autocomplete: "new-password" })),
    accountErrors, h("button", { type: "submit" }, "Store keys"));
  accountForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    accountErrors.replaceChildren();
    const value = (id) => accountForm.querySelector(`#${id}`).value;
    try {
      await post("/api/v1/exchange-accounts", { name: value("acct-name"), venue: value("acct-venue"), api_key: value("acct-key"),
        api_secret: value("acct-secret"), passphrase: value("acct-pass") || undefined });
      accountForm.reset();
      toast("keys stored (they cannot be read back)");
      loadAccounts();
    } catch (error) { accountErrors.replaceChildren(errorList(error)); }
  });

  const config = await get("/api/v1/bot-config");
  const admin = user.role === "admin";
  const pairs = tradingPairs(admin);
  const configErrors = h("div", {});
  const number = (id, label, value, attributes) => h("label", { for: id }, label, h("input", { id, type: "number", value, disabled: !admin, ...attributes }));
  const configForm = h("form", { class: "stack", id: "bot-config" },
    number("risk_tolerance", "Risk tolerance (0–1)", config.risk_tolerance, { step: "0.01", min: "0", max: "1" }),
    number("min_confidence", "Minimum confidence (0–1)", config.min_confidence, { step: "0.01", min: "0", max: "1" }),
    number("check_interval", "Check interval (1–300 s)", config.check_interval, { step: "1", min: "1", max: "300" }),
    number("cache_ttl", "Price cache TTL (1–60 s)", config.cache_ttl, { step: "1", min: "1", max: "60" }),
    configErrors, admin ? h("button", { type: "submit" }, "Save settings") : h("p", { class: "muted" }, "Only administrators change the portfolio bot."));
  configForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    configErrors.replaceChildren();
    const body = {};
    for (const id of ["risk_tolerance", "min_confidence", "check_interval", "cache_ttl"]) body[id] = Number(configForm.querySelector(`#${id}`).value);
    try { await api("PUT", "/api/v1/bot-config", body); toast("settings saved"); } catch (error) { configErrors.replaceChildren(errorList(error)); }
  });
  const notifications = admin ? notificationSettings() : null;
  await Promise.all([loadAccounts(), pairs.load(), notifications?.load()]);
  root.append(
    h("h1", {}, "Settings"),
    h("section", { class: "card" }, h("h2", {}, "Exchange accounts"), accounts, accountForm),
    notifications ? h("section", { class: "card", "aria-labelledby": "nt-title" },
      h("h2", { id: "nt-title" }, "Notifications"),
      h("p", { class: "muted" }, "The server's channels: alerts, and every bot without its own notifications section."),
      notifications.node) : null,
    h("section", { class: "card" }, h("h2", {}, "Portfolio bot (seed 000)"), configForm),
    h("section", { class: "card", "aria-labelledby": "pairs-title" }, h("h2", { id: "pairs-title" }, "Trading pairs"), pairs.node));
  return null;
}

/// The portfolio bot's trading pairs: everyone reads them; administrators add pairs, change a pair's
/// priority inline (saved on change), enable or disable and delete one. A running `petrel runbot` applies
/// pair changes at its next start.
function tradingPairs(admin) {
  const errors = h("div", { id: "pair-errors" });
  const list = h("div", { id: "pair-list", tabindex: "-1" });
  let pairs = [];
  const path = (p) => `${PAIRS}/${encodeURIComponent(p.pair_symbol)}`;

  async function load() {
    try {
      ({ items: pairs } = await get(PAIRS));
      render();
    } catch (error) {
      list.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }

  /// Runs a write; its error goes to the list's error box and `input` (if any) is marked invalid.
  async function write(action, input) {
    errors.replaceChildren();
    if (input) { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
    try {
      return { answer: await action() };
    } catch (error) {
      errors.replaceChildren(errorList(error));
      if (input) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "pair-errors"); }
      return null;
    }
  }

  function priorityCell(p) {
    if (!admin) return String(p.priority);
    const input = h("input", {
      id: `priority-${p.pair_symbol}`, type: "number", min: "0", max: "1000", step: "1", value: p.priority,
      class: "narrow", "aria-label": `Priority of ${p.pair_symbol}` });
    input.addEventListener("change", async () => {
      if (input.value.trim() === "") { input.value = p.priority; return; }
      const done = await write(() => put(path(p), { priority: Number(input.value) }), input);
      if (done) { toast(`${p.pair_symbol}: priority ${done.answer.priority}`); load(); }
    });
    return input;
  }

  function actions(p) {
    if (!admin) return "";
    const verb = p.is_enabled ? "Disable" : "Enable";
    return h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", id: `pair-state-${p.pair_symbol}`, "aria-label": `${verb} ${p.pair_symbol}`,
        onclick: async () => {
          const done = await write(() => put(path(p), { is_enabled: !p.is_enabled }));
          if (done) { toast(`${p.pair_symbol} ${done.answer.is_enabled ? "enabled" : "disabled"}`); load(); }
        } }, verb),
      h("button", { type: "button", class: "secondary", id: `pair-delete-${p.pair_symbol}`, "aria-label": `Delete ${p.pair_symbol}`,
        onclick: async () => {
          if (!confirm(`Stop trading ${p.pair_symbol} and delete the pair?`)) return;
          if (await write(() => del(path(p)))) { toast(`${p.pair_symbol} deleted`); load(); }
        } }, "Delete"));
  }

  function render() {
    const focused = list.contains(document.activeElement) ? document.activeElement.id : null;
    if (!pairs.length) {
      list.replaceChildren(h("p", { class: "muted" }, "No trading pairs (add one below, or petrel runbot --add-pair BTC-USD)."));
      return;
    }
    list.replaceChildren(h("div", { class: "scroll" }, h("table", { id: "pairs-table" },
      h("thead", {}, h("tr", {}, ["Pair", "Priority", "State", admin ? "" : null].filter((c) => c !== null)
        .map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, pairs.map((p) => h("tr", { dataset: { pair: p.pair_symbol } },
        h("td", {}, p.pair_symbol), h("td", {}, priorityCell(p)), h("td", {}, pill(p.is_enabled ? "enabled" : "disabled")),
        admin ? h("td", {}, actions(p)) : null))))));
    // Keep the keyboard focus on the control it was on; a deleted row's moves to the list.
    if (focused) (document.getElementById(focused) || list).focus();
  }

  const node = h("div", {}, errors, list,
    admin ? addPairForm(load) : h("p", { class: "muted" }, "Only administrators change the trading pairs."));
  return { node, load };
}

function addPairForm(added) {
  const errors = h("div", { id: "add-pair-errors" });
  const enabled = h("input", { id: "pair-enabled", type: "checkbox", checked: true });
  const form = h("form", { class: "stack", id: "add-pair", autocomplete: "off", "aria-labelledby": "add-pair-title" },
    h("h3", { id: "add-pair-title" }, "Add a pair"),
    h("label", { for: "pair-symbol" }, "Pair (spot, e.g. ETH-USD)",
      h("input", { id: "pair-symbol", required: true, maxlength: "30", placeholder: "ETH-USD", autocapitalize: "characters", spellcheck: "false" })),
    h("label", { for: "pair-priority" }, "Priority (0–1000, higher is preferred)",
      h("input", { id: "pair-priority", type: "number", value: "100", min: "0", max: "1000", step: "1", required: true })),
    h("label", { for: "pair-enabled" }, h("span", {}, enabled, " enabled (the portfolio bot trades it)")),
    errors, h("button", { type: "submit" }, "Add pair"));
  const inputFor = (name) => PAIR_INPUTS[name] || null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    markInvalid(form, null, inputFor, "add-pair-errors");
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    try {
      const pair = await post(PAIRS, { pair_symbol: value("pair-symbol").toUpperCase(), priority: Number(value("pair-priority")), is_enabled: enabled.checked });
      toast(`added ${pair.pair_symbol}`);
      form.reset();
      added();
    } catch (error) {
      errors.replaceChildren(errorList(error));
      markInvalid(form, error, inputFor, "add-pair-errors");
    }
  });
  return form;
}
