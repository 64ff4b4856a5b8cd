// Building DOM without innerHTML, so data from the server is never parsed as markup.

export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function table(columns, rows, empty = "nothing yet") {
  if (!rows.length) return h("p", { class: "muted" }, empty);
  return h("div", { class: "scroll" },
    h("table", {},
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.label)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c) => h("td", {}, c.value(row))))))));
}

export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  const item = h("div", { class: kind }, message);
  box.appendChild(item);
  setTimeout(() => item.remove(), 6000);
}

export function money(value, digits = 2) {
  const number = Number(value);
  if (!Number.isFinite(number)) return "–";
  return number.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function time(value) {
  if (value === null || value === undefined) return "–";
  const date = typeof value === "number" ? new Date(value) : new Date(value);
  return date.toISOString().replace("T", " ").slice(0, 19);
}

export function pill(state) { return h("span", { class: `pill ${state}` }, state); }

/// A list of an API error's problems, one per field.
export function errorList(error) {
  const items = error.details && error.details.length
    ? error.details.map((d) => (d.message.startsWith(d.field) ? d.message : `${d.field}: ${d.message}`))
    : [error.field && !error.message.startsWith(error.field) ? `${error.field}: ${error.message}` : error.message];
  return h("ul", { class: "errors", role: "alert" }, items.map((text) => h("li", {}, text)));
}

/// A fraction (0.0123) as a percentage ("1.23 %"); no value (null) as "—".
export function percent(value, digits = 2) {
  if (value === null || value === undefined || value === "") return "—";
  const number = Number(value);
  return Number.isFinite(number) ? `${(number * 100).toFixed(digits)} %` : "—";
}

/// A plain number with `digits` decimals (ratios such as Sharpe); no value as "—".
export function fixed(value, digits = 2) {
  if (value === null || value === undefined || value === "") return "—";
  const number = Number(value);
  return Number.isFinite(number) ? number.toFixed(digits) : "—";
}

/// `money`, but no value (null) as "—" instead of zero.
export function amount(value, digits = 2) {
  return value === null || value === undefined || value === "" ? "—" : money(value, digits);
}

/// The class that colours a signed amount: `good` above zero, `bad` below.
export function sign(value) {
  const number = Number(value);
  if (value === null || value === undefined || !Number.isFinite(number) || number === 0) return "";
  return number > 0 ? "good" : "bad";
}

/// Marks the inputs an API error names (`inputFor(field)` → an input's id or null) as invalid, described
/// by the error list `errorsId`, clearing earlier marks; moves the focus to the first of them. An input's
/// own description (a hint) is kept after the error list's and restored when the mark is cleared.
export function markInvalid(form, error, inputFor, errorsId) {
  for (const node of form.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
    if (node.dataset.describedby) node.setAttribute("aria-describedby", node.dataset.describedby);
    else node.removeAttribute("aria-describedby");
    delete node.dataset.describedby;
  }
  if (!error) return;
  let first = null;
  for (const field of [error.field, ...(error.details || []).map((d) => d.field)]) {
    const id = field ? inputFor(field) : null;
    const node = id ? form.querySelector(`#${CSS.escape(id)}`) : null;
    if (!node) continue;
    const own = node.dataset.describedby ?? (node.getAttribute("aria-describedby") || "");
    node.dataset.describedby = own;
    node.setAttribute("aria-invalid", "true");
    node.setAttribute("aria-describedby", own ? `${errorsId} ${own}` : errorsId);
    first ??= node;
  }
  if (first) first.focus();
}
