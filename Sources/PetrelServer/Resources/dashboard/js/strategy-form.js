// The strategy picker and the parameter form generated from the chosen strategy's schema
// (GET /api/v1/strategies), shared by the create-bot form and the backtest form.
import { h } from "./dom.js";

/// `strategies`: the catalog's `strategies`; `prefix` goes before every id (`strategy`, `params`,
/// `param-NAME`) so two forms never share one. Returns the select, the fieldset, `render()` (back to the
/// chosen strategy's defaults) and `values()` (the parameters typed by their schema).
export function strategyFields(strategies, prefix = "") {
  const field = (id, label, input) => h("label", { for: id }, label, input);
  const select = h("select", { id: `${prefix}strategy`, name: "strategy" },
    strategies.map((s) => h("option", { value: s.name }, `${s.name} — ${s.summary}`)));
  const params = h("fieldset", { id: `${prefix}params` });
  function render() {
    const chosen = strategies.find((s) => s.name === select.value);
    params.replaceChildren(h("legend", {}, "Parameters"), ...(chosen ? chosen.parameters : []).map((p) => {
      const id = `${prefix}param-${p.name}`;
      if (p.kind === "boolean") return field(id, p.name, h("input", { id, type: "checkbox", dataset: { param: p.name, kind: p.kind }, checked: p.default_value === true }));
      if (p.choices) return field(id, `${p.name} — ${p.summary}`, h("select", { id, dataset: { param: p.name, kind: p.kind } }, p.choices.map((c) => h("option", { value: c, selected: c === p.default_value }, c))));
      return field(id, `${p.name} — ${p.summary}`, h("input", {
        id, type: "number", step: p.kind === "integer" ? "1" : "any", min: p.minimum, max: p.maximum,
        value: p.default_value, dataset: { param: p.name, kind: p.kind } }));
    }));
  }
  function values() {
    const parameters = {};
    for (const node of params.querySelectorAll("[data-param]")) {
      const kind = node.dataset.kind;
      parameters[node.dataset.param] = kind === "boolean" ? node.checked : kind === "integer" ? parseInt(node.value, 10) : kind === "number" ? Number(node.value) : node.value;
    }
    return parameters;
  }
  select.addEventListener("change", render);
  render();
  return { select, params, render, values };
}
