// The dashboard: hash routes, one view at a time, live updates over the WebSocket.
import * as api from "./api.js";
import * as live from "./live.js";
import { h, toast } from "./dom.js";
import { loginView } from "./views/login.js";
import { overviewView } from "./views/overview.js";
import { botsView } from "./views/bots.js";
import { botView } from "./views/bot.js";
import { usersView } from "./views/users.js";
import { historyView } from "./views/history.js";
import { settingsView } from "./views/settings.js";
import { backtestsView, backtestView } from "./views/backtests.js";
import { analyticsView } from "./views/analytics.js";
import { symbolsView } from "./views/symbols.js";

const routes = [
  [/^#\/overview$/, overviewView],
  [/^#\/bots$/, botsView],
  [/^#\/bots\/([A-Za-z0-9_-]+)$/, botView],
  [/^#\/users$/, usersView],
  [/^#\/history$/, historyView],
  [/^#\/settings$/, settingsView],
  [/^#\/backtests$/, backtestsView],
  [/^#\/backtests\/([A-Za-z0-9_-]+)$/, backtestView],
  [/^#\/analytics$/, analyticsView],
  [/^#\/symbols$/, symbolsView],
];

let cleanup = null;
let generation = 0;

async function render() {
  const current = ++generation;
  const view = document.getElementById("view");
  if (cleanup) { cleanup(); cleanup = null; }
  const user = api.currentUser();
  document.getElementById("nav").hidden = !user;
  document.getElementById("session").hidden = !user;
  if (!user) {
    live.disconnect();
    view.replaceChildren(loginView(() => { location.hash = "#/overview"; render(); }));
    return;
  }
  document.getElementById("who").textContent = `${user.username} (${user.role})`;
  for (const link of document.querySelectorAll("nav a")) {
    link.hidden = link.dataset.role === "admin" && user.role !== "admin";
    link.classList.toggle("active", location.hash.startsWith(link.getAttribute("href")));
  }
  live.connect();
  const hash = location.hash || "#/overview";
  for (const [pattern, make] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    const content = h("div", {});
    view.replaceChildren(content);
    try {
      const done = await make(content, ...match.slice(1).map(decodeURIComponent));
      // A newer render started meanwhile: this view is already gone.
      if (current !== generation) { if (done) done(); return; }
      cleanup = done;
    } catch (error) {
      content.replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
    }
    view.focus({ preventScroll: true });
    return;
  }
  location.hash = "#/overview";
}

live.on("open", () => { const b = document.getElementById("live"); b.textContent = "live"; b.className = "pill online"; });
live.on("close", () => { const b = document.getElementById("live"); b.textContent = "offline"; b.className = "pill"; });
live.on("error", (message) => toast(message.message, "error"));

document.getElementById("logout").addEventListener("click", async () => {
  await api.logout();
  live.disconnect();
  location.hash = "";
  render();
});
window.addEventListener("petrel:logged-out", () => render());
window.addEventListener("hashchange", render);
render();
