// /docs: the OpenAPI document rendered as a readable list of operations, grouped by tag.
import { h } from "./dom.js";

function schemaText(schema, spec, depth = 0) {
  if (!schema) return "";
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return depth > 1 ? name : `${name} ${schemaText(spec.components.schemas[name], spec, depth + 1)}`;
  }
  if (schema.type === "object" && schema.properties) {
    const required = new Set(schema.required || []);
    return "{ " + Object.entries(schema.properties)
      .map(([key, value]) => `${key}${required.has(key) ? "" : "?"}: ${schemaText(value, spec, depth + 1) || value.type || "any"}`)
      .join(", ") + " }";
  }
  if (schema.type === "array") return `[${schemaText(schema.items, spec, depth + 1)}]`;
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type || "");
}

async function main() {
  const root = document.getElementById("docs");
  const spec = await (await fetch("/openapi.json")).json();
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = (operation.tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, operation });
    }
  }
  root.replaceChildren(
    h("h1", {}, `${spec.info.title} ${spec.info.version}`),
    h("p", { class: "muted" }, spec.info.description),
    ...[...byTag.entries()].map(([tag, operations]) => h("section", { class: "card", "aria-labelledby": `tag-${tag}` },
      h("h2", { id: `tag-${tag}` }, tag),
      ...operations.map(({ path, method, operation }) => h("details", { id: operation.operationId },
        h("summary", {}, h("code", {}, `${method.toUpperCase()} ${path}`), ` — ${operation.summary}`),
        operation.description ? h("p", {}, operation.description) : null,
        operation.security && operation.security.length === 0 ? h("p", { class: "muted" }, "No authentication.") : null,
        operation.parameters ? h("p", {}, "Parameters: ", operation.parameters.map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`).join(", ")) : null,
        operation.requestBody ? h("p", {}, "Body: ", h("code", {}, schemaText(operation.requestBody.content["application/json"].schema, spec))) : null,
        h("ul", {}, Object.entries(operation.responses).map(([status, response]) => h("li", {}, `${status} ${response.description}`,
          response.content && response.content["application/json"] ? h("code", {}, " " + schemaText(response.content["application/json"].schema, spec)) : null))))))));
}

main().catch((error) => { document.getElementById("docs").textContent = `Cannot load /openapi.json: ${error.message}`; });
