import { get, post, put, del, currentUser } from "../api.js";
import { h, table, pill, toast, errorList, time, percent, fixed, amount, sign, markInvalid } from "../dom.js";

const BASE = "/api/v1/symbols";

/// The add form's input of a request member an API error names.
const ADD_INPUTS = { venue: "sym-venue", symbol: "sym-symbol", kind: "sym-kind", risk_multiplier: "sym-risk", notes: "sym-notes", enabled: "sym-enabled" };

/// The symbols the platform trades (administrators change them): filter, enable or disable one or many,
/// the risk multiplier and notes inline, each symbol's performance, and discovery of a venue's markets.
export async function symbolsView(root) {
  const admin = currentUser().role === "admin";
  const errors = h("div", { id: "symbol-errors" });
  const list = h("div", { id: "symbol-list" });
  const selected = new Set();
  const open = new Set();
  let symbols = [];
  let gone = false;
  const label = (s) => `${s.symbol} on ${s.venue}`;
  const problem = (error) => errors.replaceChildren(errorList(error));

  const q = h("input", { id: "s-q", type: "search", placeholder: "BTC" });
  const enabled = h("select", { id: "s-enabled" },
    h("option", { value: "" }, "any"), h("option", { value: "true" }, "enabled"), h("option", { value: "false" }, "disabled"));

  async function load() {
    const query = new URLSearchParams();
    if (q.value.trim()) query.set("q", q.value.trim());
    if (enabled.value) query.set("enabled", enabled.value);
    try {
      const data = await get(`${BASE}/${query.toString() ? `?${query}` : ""}`);
      if (gone) return;
      symbols = data.symbols;
      for (const id of [...selected]) if (!symbols.some((s) => s.id === id)) selected.delete(id);
      render();
    } catch (error) {
      list.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }

  /// Applies a write's answer to the list without another request: `{"symbol", "paused_bots"}` from
  /// PUT, enable and disable (a disable pauses the running bots on the pair), or a bare symbol.
  function replace(answer) {
    const symbol = answer && typeof answer.symbol === "object" ? answer.symbol : answer;
    if (answer && Array.isArray(answer.paused_bots) && answer.paused_bots.length) {
      toast(`Paused new entries of ${answer.paused_bots.join(", ")}`);
    }
    const index = symbols.findIndex((s) => s.id === symbol.id);
    if (index >= 0) symbols[index] = symbol;
    render();
  }

  async function write(action, done) {
    errors.replaceChildren();
    try {
      const answer = await action();
      if (done) done(answer);
    } catch (error) {
      problem(error);
      return false;
    }
    return true;
  }

  function riskCell(s) {
    if (!admin) return fixed(s.risk_multiplier, 1);
    const input = h("input", {
      id: `risk-${s.id}`, type: "number", min: "0.1", max: "5", step: "0.1", value: s.risk_multiplier ?? 1,
      class: "narrow", "aria-label": `Risk multiplier of ${label(s)}` });
    input.addEventListener("change", async () => {
      input.removeAttribute("aria-invalid");
      const ok = await write(() => put(`${BASE}/${encodeURIComponent(s.id)}`, { risk_multiplier: Number(input.value) }),
        (answer) => { toast(`${label(s)}: risk multiplier ${(answer.symbol ?? answer).risk_multiplier}`); replace(answer); });
      if (!ok) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "symbol-errors"); }
    });
    return input;
  }

  function notesCell(s) {
    if (!admin) return s.notes || "";
    const input = h("input", { id: `notes-${s.id}`, value: s.notes || "", maxlength: "500", "aria-label": `Notes on ${label(s)}` });
    input.addEventListener("change", async () => {
      const ok = await write(() => put(`${BASE}/${encodeURIComponent(s.id)}`, { notes: input.value }),
        (symbol) => { toast(`${label(s)}: notes saved`); replace(symbol); });
      if (!ok) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "symbol-errors"); }
    });
    return input;
  }

  async function showPerformance(s, cell) {
    cell.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const p = await get(`${BASE}/${encodeURIComponent(s.id)}/performance`);
      const bots = (p.bots || []).map((b) => (typeof b === "string" ? b : b.bot ?? b.id ?? b.name)).filter(Boolean);
      cell.replaceChildren(
        h("p", {}, `${p.trades ?? 0} closed trades (${p.wins ?? 0} won, ${p.losses ?? 0} lost) · win rate ${percent(p.win_rate)} · net P&L `,
          h("span", { class: sign(p.net_pnl) }, amount(p.net_pnl)), ` · profit factor ${fixed(p.profit_factor)}`),
        h("p", { class: "muted" }, "Bots: ", bots.length
          ? bots.flatMap((b, i) => [i ? ", " : "", h("a", { href: `#/bots/${encodeURIComponent(b)}` }, b)])
          : "none trades it"));
    } catch (error) {
      cell.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }

  function render() {
    const focused = list.contains(document.activeElement) ? document.activeElement.id : null;
    if (!symbols.length) {
      list.replaceChildren(h("p", { class: "muted" }, "No symbols match: add one below or discover a venue's markets."));
      return;
    }
    const columns = (admin ? 1 : 0) + 8;
    const all = h("input", { type: "checkbox", id: "select-all", "aria-label": "Select every symbol shown", checked: symbols.every((s) => selected.has(s.id)) });
    all.addEventListener("change", () => {
      for (const s of symbols) { if (all.checked) selected.add(s.id); else selected.delete(s.id); }
      render();
    });
    const rows = symbols.flatMap((s) => {
      const detailId = `performance-${s.id}`;
      const expanded = open.has(s.id);
      const cell = h("td", { colspan: String(columns) });
      const detail = h("tr", { id: detailId, class: "detail", hidden: !expanded }, cell);
      if (expanded) showPerformance(s, cell);
      const toggle = h("button", {
        type: "button", class: "secondary", id: `perf-toggle-${s.id}`, "aria-expanded": expanded ? "true" : "false",
        "aria-controls": detailId, "aria-label": `Performance of ${label(s)}` }, "Performance");
      toggle.addEventListener("click", () => {
        const now = !open.has(s.id);
        if (now) open.add(s.id); else open.delete(s.id);
        toggle.setAttribute("aria-expanded", now ? "true" : "false");
        detail.hidden = !now;
        if (now) showPerformance(s, cell);
      });
      const check = admin ? h("input", { type: "checkbox", id: `select-${s.id}`, "aria-label": `Select ${label(s)}`, checked: selected.has(s.id) }) : null;
      if (check) check.addEventListener("change", () => { if (check.checked) selected.add(s.id); else selected.delete(s.id); all.checked = symbols.every((x) => selected.has(x.id)); });
      const verb = s.enabled ? "disable" : "enable";
      const actions = h("div", { class: "actions" }, toggle,
        admin ? h("button", { type: "button", class: "secondary", id: `state-${s.id}`, "aria-label": `${s.enabled ? "Disable" : "Enable"} ${label(s)}`,
          onclick: () => write(() => post(`${BASE}/${encodeURIComponent(s.id)}/${verb}`), (symbol) => { toast(`${label(s)} ${verb}d`); replace(symbol); }) },
        s.enabled ? "Disable" : "Enable") : null,
        admin ? h("button", { type: "button", class: "secondary", id: `delete-${s.id}`, "aria-label": `Delete ${label(s)}`,
          onclick: async () => {
            if (!confirm(`Stop tracking ${label(s)}?`)) return;
            if (await write(() => del(`${BASE}/${encodeURIComponent(s.id)}`))) { toast(`${label(s)} deleted`); load(); }
          } }, "Delete") : null);
      return [h("tr", { dataset: { symbol: s.id } },
        admin ? h("td", {}, check) : null,
        h("td", {}, s.symbol), h("td", {}, s.venue), h("td", {}, s.kind), h("td", {}, pill(s.enabled ? "enabled" : "disabled")),
        h("td", {}, riskCell(s)), h("td", {}, notesCell(s)), h("td", {}, time(s.updated_at)), h("td", {}, actions)), detail];
    });
    list.replaceChildren(h("div", { class: "scroll" }, h("table", { id: "symbols-table" },
      h("thead", {}, h("tr", {}, admin ? h("th", { scope: "col" }, all) : null,
        ["Symbol", "Venue", "Kind", "State", "Risk multiplier", "Notes", "Updated", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows))));
    if (focused) { const node = document.getElementById(focused); if (node) node.focus(); }
  }

  async function batch(action) {
    if (!selected.size) { errors.replaceChildren(h("p", { class: "bad", role: "alert" }, "Select one or more symbols first.")); return; }
    await write(() => post(`${BASE}/batch`, { ids: [...selected], action }), (answer) => { toast(`${action}d: ${answer.updated} symbol${answer.updated === 1 ? "" : "s"}`); load(); });
  }

  const filters = h("form", { class: "actions", id: "symbol-filters" },
    h("label", { for: "s-q" }, "Search", q), h("label", { for: "s-enabled" }, "State", enabled), h("button", { type: "submit" }, "Filter"));
  filters.addEventListener("submit", (event) => { event.preventDefault(); load(); });

  const toolbar = admin ? h("div", { class: "actions" },
    h("button", { type: "button", class: "secondary", id: "enable-selected", onclick: () => batch("enable") }, "Enable selected"),
    h("button", { type: "button", class: "secondary", id: "disable-selected", onclick: () => batch("disable") }, "Disable selected")) : null;

  await load();
  root.append(...[h("h1", {}, "Symbols"),
    h("section", { class: "card", "aria-labelledby": "symbols-title" }, h("h2", { id: "symbols-title" }, "Tracked symbols"),
      filters, toolbar, errors, list,
      admin ? null : h("p", { class: "muted" }, "Only administrators add or change symbols.")),
    admin ? h("section", { class: "card", "aria-labelledby": "add-title" }, h("h2", { id: "add-title" }, "Add a symbol"), addForm(load)) : null,
    h("section", { class: "card", "aria-labelledby": "discover-title" }, h("h2", { id: "discover-title" }, "Discover a venue's markets"), discover(admin, load))].filter(Boolean));
  return () => { gone = true; };
}

function addForm(added) {
  const errors = h("div", { id: "add-errors" });
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const check = h("input", { id: "sym-enabled", type: "checkbox", checked: true });
  const form = h("form", { class: "stack", id: "add-symbol" },
    field("sym-venue", "Venue", h("input", { id: "sym-venue", value: "simulated", required: true })),
    field("sym-symbol", "Symbol", h("input", { id: "sym-symbol", placeholder: "BTC/USDT", required: true })),
    field("sym-kind", "Kind", h("select", { id: "sym-kind" }, h("option", { value: "spot" }, "spot"), h("option", { value: "swap" }, "swap (perpetual)"))),
    field("sym-risk", "Risk multiplier (0.1–5)", h("input", { id: "sym-risk", type: "number", value: "1", min: "0.1", max: "5", step: "0.1" })),
    field("sym-notes", "Notes (optional)", h("input", { id: "sym-notes", maxlength: "500" })),
    h("label", { for: "sym-enabled" }, h("span", {}, check, " enabled (bots may trade it)")),
    errors, h("button", { type: "submit" }, "Add symbol"));
  const inputFor = (name) => ADD_INPUTS[name] || null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    markInvalid(form, null, inputFor, "add-errors");
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    const body = { venue: value("sym-venue"), symbol: value("sym-symbol"), kind: value("sym-kind"), enabled: check.checked };
    if (value("sym-risk")) body.risk_multiplier = Number(value("sym-risk"));
    if (value("sym-notes")) body.notes = value("sym-notes");
    try {
      const symbol = await post(`${BASE}/`, body);
      toast(`added ${symbol.symbol} on ${symbol.venue}`);
      form.reset();
      added();
    } catch (error) {
      errors.replaceChildren(errorList(error));
      markInvalid(form, error, inputFor, "add-errors");
    }
  });
  return form;
}

/// A venue's markets (GET /symbols/discover) with an Add button for those not tracked yet.
function discover(admin, added) {
  const results = h("div", { id: "discover-results", tabindex: "-1" });
  const venue = h("input", { id: "disc-venue", value: "simulated", required: true });
  const form = h("form", { class: "actions", id: "discover-form" },
    h("label", { for: "disc-venue" }, "Venue", venue), h("button", { type: "submit" }, "Discover"));
  async function run() {
    results.replaceChildren(h("p", { class: "muted" }, "Asking the venue…"));
    try {
      const data = await get(`${BASE}/discover?${new URLSearchParams({ venue: venue.value.trim() })}`);
      const add = async (item) => {
        try {
          await post(`${BASE}/`, { venue: data.venue, symbol: item.symbol, kind: item.kind, enabled: true });
          toast(`added ${item.symbol} on ${data.venue}`);
          added();
          await run();
          results.focus();
        } catch (error) {
          results.prepend(errorList(error));
        }
      };
      results.replaceChildren(
        data.simulated ? h("p", { class: "banner" }, `The ${data.venue} venue is SIMULATED: its prices and volumes are synthetic, not real quotes.`) : "",
        table([
          { label: "Symbol", value: (s) => s.symbol },
          { label: "Base", value: (s) => s.base },
          { label: "Quote", value: (s) => s.quote },
          { label: "Kind", value: (s) => s.kind },
          { label: data.simulated ? "Last price (simulated)" : "Last price", value: (s) => amount(s.last_price) },
          { label: "24 h volume", value: (s) => amount(s.volume_24h, 0) },
          { label: "", value: (s) => (s.tracked ? h("span", { class: "muted" }, "tracked")
            : admin ? h("button", { type: "button", "aria-label": `Add ${s.symbol}`, onclick: () => add(s) }, "Add") : "—") },
        ], data.symbols || [], "the venue lists no markets"));
    } catch (error) {
      results.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  return h("div", {}, form, results);
}
