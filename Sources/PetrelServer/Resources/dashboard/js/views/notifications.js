import { api, get, post } from "../api.js";
import { h, toast, errorList, markInvalid, time } from "../dom.js";

const PATH = "/api/v1/settings/notifications";
const EVENTS = ["trade_entry", "trade_exit", "error", "status", "daily_summary", "summary_6h", "high_loss", "api_failure", "risk_warning"];

/// Each channel's settings: [member, label, kind] with kind text, list (comma-separated), secret, number,
/// select:a|b|c, check or area.
const CHANNELS = {
  telegram: { title: "Telegram", secret: "bot_token", fields: [
    ["chat_ids", "Chat ids (comma-separated: -1001234567890, @channel)", "list"], ["bot_token", "Bot token", "secret"]] },
  email: { title: "E-mail (SMTP)", secret: "password", fields: [
    ["smtp_host", "SMTP host", "text"], ["smtp_port", "Port", "number"], ["security", "Security", "select:starttls|tls|none"],
    ["username", "Username", "text"], ["password", "Password", "secret"], ["from", "From", "text"],
    ["to", "To (comma-separated)", "list"], ["ca_file", "CA file (PEM path on the server, optional)", "text"]] },
  webhook: { title: "Webhook", secret: "secret", fields: [
    ["url", "URL", "text"], ["secret", "HMAC secret (optional)", "secret"], ["body_template", "Body template (optional JSON with {{event}}, {{title}} …)", "area"],
    ["allow_private_addresses", "Allow private and loopback addresses", "check"]] },
  sms: { title: "SMS (Twilio)", secret: "token", fields: [
    ["username", "Account SID", "text"], ["token", "Auth token", "secret"], ["from", "From (+E.164)", "text"],
    ["to", "To (comma-separated, +E.164)", "list"]] },
};

const id = (channel, member) => `nt-${channel}-${member}`;

/// Settings → Notifications (administrators): the server's channels, which also serve every bot without
/// its own `notifications` section. Secrets are write-only: a stored one shows as "stored" and is kept
/// when its input is left empty.
export function notificationSettings() {
  const status = h("p", { class: "muted", id: "nt-status" });
  const errors = h("div", { id: "nt-errors" });
  const form = h("form", { class: "stack", id: "nt-form", autocomplete: "off" });
  let current = null;

  function input(channel, [member, label, kind], settings, stored) {
    const key = id(channel, member);
    const value = settings[member];
    if (kind === "check") {
      return h("label", { for: key, class: "inline" }, h("input", { id: key, type: "checkbox", checked: value === true }), label);
    }
    if (kind === "area") return h("label", { for: key }, label, h("textarea", { id: key, rows: 3 }, value ?? ""));
    if (kind.startsWith("select:")) {
      return h("label", { for: key }, label, h("select", { id: key },
        kind.slice(7).split("|").map((option) => h("option", { value: option, selected: (value ?? "starttls") === option }, option))));
    }
    const text = kind === "list" ? (Array.isArray(value) ? value.join(", ") : value ?? "") : value ?? "";
    const attributes = { id: key, value: kind === "secret" && stored ? "" : String(text) };
    if (kind === "number") Object.assign(attributes, { type: "number", min: "1", max: "65535", step: "1" });
    if (kind === "secret") Object.assign(attributes, {
      type: "password", autocomplete: "new-password",
      placeholder: stored ? "stored (leave empty to keep)" : "the secret, or ${ENV_VAR}" });
    const field = h("label", { for: key }, label, h("input", attributes));
    if (kind !== "secret" || !stored) return field;
    return [field, h("label", { for: `${key}-remove`, class: "inline" },
      h("input", { id: `${key}-remove`, type: "checkbox" }), "Remove the stored secret")];
  }

  function render(view) {
    current = view;
    const section = view.notifications || {};
    const source = { none: "none yet", file: "--notifications FILE (read-only here)", database: "stored settings" }[view.source];
    status.textContent = `Source: ${source}. Sending now: ${view.channels.length ? view.channels.join(", ") : "nothing"}`
      + (view.updated_at ? `. Saved ${time(view.updated_at)} UTC.` : ".");
    const readOnly = view.source === "file";
    const fieldsets = Object.entries(CHANNELS).map(([channel, spec]) => {
      const settings = section[channel] || {};
      const stored = view.stored_secrets.includes(`${channel}.${spec.secret}`);
      const events = new Set(settings.notify_on || []);
      return h("fieldset", { id: `nt-${channel}` },
        h("legend", {}, spec.title),
        h("label", { for: id(channel, "enabled"), class: "inline" },
          h("input", { id: id(channel, "enabled"), type: "checkbox", checked: settings.enabled === true }), "Enabled"),
        spec.fields.flatMap((field) => input(channel, field, settings, stored)),
        channel === "telegram" ? h("label", { for: "nt-commands", class: "inline" },
          h("input", { id: "nt-commands", type: "checkbox", checked: view.telegram_commands }),
          "Answer commands (/status, /stop …) from these chats") : null,
        h("div", { role: "group", "aria-label": `${spec.title} events`, class: "checks" },
          EVENTS.map((event) => h("label", { class: "inline" },
            h("input", { type: "checkbox", name: `${channel}-events`, value: event, checked: events.has(event) }), event))));
    });
    const test = h("select", { id: "nt-test-channel", "aria-label": "Channel to test" },
      view.channels.map((channel) => h("option", { value: channel }, channel)));
    form.replaceChildren(
      h("label", { for: "nt-enabled", class: "inline" },
        h("input", { id: "nt-enabled", type: "checkbox", checked: section.enabled === true }), "Notifications enabled"),
      ...fieldsets, errors,
      readOnly ? h("p", { class: "muted" }, "These channels come from the server's --notifications file.")
        : h("div", { class: "actions" },
          h("button", { type: "submit" }, "Save channels"),
          h("button", { type: "button", class: "secondary", id: "nt-remove", onclick: remove, disabled: view.source !== "database" }, "Remove all")),
      view.channels.length ? h("div", { class: "actions" }, test,
        h("button", { type: "button", class: "secondary", id: "nt-test", onclick: () => sendTest(test.value) }, "Send a test message")) : null);
    for (const node of form.querySelectorAll("input, select, textarea")) if (readOnly && node.id !== "nt-test-channel") node.disabled = true;
  }

  function body() {
    const value = (key) => form.querySelector(`#${CSS.escape(key)}`);
    const notifications = { enabled: value("nt-enabled").checked };
    for (const [channel, spec] of Object.entries(CHANNELS)) {
      const settings = { enabled: value(id(channel, "enabled")).checked,
        notify_on: [...form.querySelectorAll(`input[name="${channel}-events"]:checked`)].map((node) => node.value) };
      let used = settings.enabled || settings.notify_on.length > 0;
      const shown = (current.notifications || {})[channel] || {};
      const choices = {};
      for (const [member, , kind] of spec.fields) {
        const node = value(id(channel, member));
        if (kind === "check") { if (node.checked) { settings[member] = true; used = true; } continue; }
        if (kind.startsWith("select:")) { choices[member] = node.value; continue; }
        const remove = form.querySelector(`#${CSS.escape(id(channel, member))}-remove`);
        if (remove && remove.checked) { settings[member] = null; continue; }
        const text = node.value.trim();
        // An emptied secret that was a ${NAME} reference is removed (a sealed one is kept unless ticked).
        if (!text) { if (kind === "secret" && shown[member] !== undefined) settings[member] = null; continue; }
        used = true;
        if (kind === "list") settings[member] = text.split(",").map((item) => item.trim()).filter(Boolean)
          .map((item) => (channel === "telegram" && /^-?\d+$/.test(item) ? Number(item) : item));
        else if (kind === "number") settings[member] = Number(text);
        else settings[member] = text;
      }
      const stored = current.stored_secrets.includes(`${channel}.${spec.secret}`);
      if (used || stored) notifications[channel] = { ...settings, ...choices };
    }
    return { notifications, telegram_commands: value("nt-commands").checked };
  }

  /// The input an API error's field names (`$.notifications.telegram.chat_ids[0]` → the chat ids).
  function inputFor(field) {
    const match = /^\$\.notifications\.(\w+)\.(\w+)/.exec(field || "");
    if (match) return match[2] === "notify_on" ? null : id(match[1], match[2]);
    return field === "telegram_commands" ? "nt-commands" : null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    markInvalid(form, null);
    try {
      render(await api("PUT", PATH, body()));
      toast("notification channels saved");
    } catch (error) {
      errors.replaceChildren(errorList(error));
      markInvalid(form, error, inputFor, "nt-errors");
    }
  });

  async function remove() {
    if (!confirm("Remove the server's notification channels and their stored secrets?")) return;
    try { await api("DELETE", PATH); toast("notification channels removed"); await load(); }
    catch (error) { errors.replaceChildren(errorList(error)); }
  }

  async function sendTest(channel) {
    try {
      const reply = await post("/api/send_alert", { message: "Test message from Petrel's settings page.", channel });
      toast(`${channel}: ${reply.results.map((r) => (r.delivered ? "delivered" : r.error)).join(", ")}`);
    } catch (error) { errors.replaceChildren(errorList(error)); }
  }

  async function load() { render(await get(PATH)); }

  return { node: h("div", {}, status, form), load };
}
