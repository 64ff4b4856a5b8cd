import { get, post, api } from "../api.js";
import { h, table, toast, errorList, time } from "../dom.js";

/// Users (administrators): list, create, disable or enable.
export async function usersView(root) {
  const list = h("div", {});
  async function refresh() {
    const { users } = await get("/api/v1/users");
    list.replaceChildren(table([
      { label: "Id", value: (u) => u.id }, { label: "Username", value: (u) => u.username },
      { label: "Role", value: (u) => u.role }, { label: "Created", value: (u) => time(u.created_at) },
      { label: "", value: (u) => h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("PATCH", `/api/v1/users/${u.id}`, { disabled: !u.disabled }); refresh(); }
        catch (error) { toast(error.message, "error"); }
      } }, u.disabled ? "Enable" : "Disable") },
    ], users));
  }
  const errors = h("div", {});
  const form = h("form", { class: "stack" },
    h("label", { for: "new-username" }, "Username", h("input", { id: "new-username", required: true })),
    h("label", { for: "new-password" }, "Password (at least 10 characters)", h("input", { id: "new-password", type: "password", required: true, autocomplete: "new-password" })),
    h("label", { for: "new-role" }, "Role", h("select", { id: "new-role" }, ["viewer", "trader", "admin"].map((r) => h("option", { value: r }, r)))),
    errors, h("button", { type: "submit" }, "Create user"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    try {
      await post("/api/v1/users", {
        username: form.querySelector("#new-username").value, password: form.querySelector("#new-password").value,
        role: form.querySelector("#new-role").value });
      form.reset();
      toast("user created");
      refresh();
    } catch (error) { errors.replaceChildren(errorList(error)); }
  });
  await refresh();
  root.append(h("h1", {}, "Users"), h("section", { class: "card" }, list), h("section", { class: "card" }, h("h2", {}, "New user"), form));
  return null;
}
