import * as api from "../api.js";
import { h, errorList } from "../dom.js";

export function loginView(done) {
  const errors = h("div", {});
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "stack card login", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Log in to Petrel"),
    h("label", { for: "username" }, "Username", username),
    h("label", { for: "password" }, "Password", password),
    errors,
    h("button", { type: "submit", id: "login-button" }, "Log in"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    try {
      await api.login(username.value, password.value);
      done();
    } catch (error) {
      errors.replaceChildren(errorList(error));
    }
  });
  setTimeout(() => username.focus(), 0);
  return form;
}
