import { get } from "../api.js";
import { h, table, time } from "../dom.js";

/// Seed 000's trade history with filters (status, bot, pair, time) and pages.
export async function historyView(root) {
  const results = h("div", { id: "history-results" });
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const status = h("select", { id: "f-status" }, ["", "EXECUTED", "FAILED", "PENDING"].map((s) => h("option", { value: s }, s || "any")));
  const bot = h("input", { id: "f-bot", placeholder: "portfolio" });
  const pair = h("input", { id: "f-pair", placeholder: "BTC-USD or BTC" });
  const from = h("input", { id: "f-from", type: "date" });
  const to = h("input", { id: "f-to", type: "date" });
  let page = 1;
  async function load() {
    const query = new URLSearchParams({ page: String(page), page_size: "25" });
    if (status.value) query.set("status", status.value);
    if (bot.value) query.set("bot", bot.value);
    if (pair.value) query.set("pair", pair.value);
    if (from.value) query.set("from", from.value);
    if (to.value) query.set("to", to.value);
    try {
      const data = await get(`/api/v1/trade-history?${query}`);
      results.replaceChildren(
        table([
          { label: "Id", value: (t) => t.id }, { label: "Bot", value: (t) => t.bot },
          { label: "Time", value: (t) => time(t.created_at) }, { label: "Decision", value: (t) => t.decision },
          { label: "From → to", value: (t) => `${t.from_pair} → ${t.to_pair}` }, { label: "Amount", value: (t) => t.amount },
          { label: "Status", value: (t) => t.status }, { label: "Confidence", value: (t) => t.confidence },
          { label: "Risk", value: (t) => t.risk },
        ], data.items, "no trades match"),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "secondary", disabled: page <= 1, onclick: () => { page -= 1; load(); } }, "Previous"),
          h("span", { class: "muted" }, `page ${data.page} of ${Math.max(1, data.pages)} · ${data.total} trades`),
          h("button", { type: "button", class: "secondary", disabled: page >= data.pages, onclick: () => { page += 1; load(); } }, "Next")));
    } catch (error) {
      results.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }
  const form = h("form", { class: "actions", id: "history-filters" },
    field("f-status", "Status", status), field("f-bot", "Bot", bot), field("f-pair", "Pair", pair),
    field("f-from", "From", from), field("f-to", "To", to), h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => { event.preventDefault(); page = 1; load(); });
  root.append(h("h1", {}, "Trade history"), h("section", { class: "card" }, form), h("section", { class: "card" }, results));
  await load();
  return null;
}
