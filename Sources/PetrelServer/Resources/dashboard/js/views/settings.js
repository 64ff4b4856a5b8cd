import { get, post, api, currentUser } from "../api.js";
import { h, table, toast, errorList, time } from "../dom.js";

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
  const { items: pairs } = await get("/api/v1/trading-pairs");
  const admin = user.role === "admin";
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
  await loadAccounts();
  root.append(
    h("h1", {}, "Settings"),
    h("section", { class: "card" }, h("h2", {}, "Exchange accounts"), accounts, accountForm),
    h("section", { class: "card" }, h("h2", {}, "Portfolio bot (seed 000)"), configForm),
    h("section", { class: "card" }, h("h2", {}, "Trading pairs"), table([
      { label: "Pair", value: (p) => p.pair_symbol }, { label: "Priority", value: (p) => p.priority },
      { label: "Enabled", value: (p) => (p.is_enabled ? "yes" : "no") },
    ], pairs, "no trading pairs (petrel runbot --add-pair BTC-USD, or the API)")));
  return null;
}
