// The WebSocket feed: a one-time ticket, reconnection with back-off, and listeners by message type.
import { post } from "./api.js";

const listeners = new Map();
let socket = null;
let wanted = false;
let retry = 1000;
let subscriptions = [];

export function on(type, handler) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(handler);
  return () => listeners.get(type).delete(handler);
}

function emit(type, message) {
  for (const handler of listeners.get(type) || []) handler(message);
  for (const handler of listeners.get("*") || []) handler(message);
}

export function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/// Subscribes to extended events of a bot (also after a reconnect).
export function subscribe(bot, events) {
  subscriptions = subscriptions.filter((s) => s.bot !== bot).concat([{ bot, events }]);
  send({ action: "subscribe", bot, events });
}

export function unsubscribe(bot) {
  subscriptions = subscriptions.filter((s) => s.bot !== bot);
  send({ action: "unsubscribe", bot });
}

let connecting = false;

export async function connect() {
  wanted = true;
  if (socket || connecting) return;
  connecting = true;
  let ticket;
  try { ticket = (await post("/api/v1/ws-ticket")).ticket; } catch { connecting = false; schedule(); return; }
  connecting = false;
  if (!wanted || socket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/bot/status/?ticket=${encodeURIComponent(ticket)}`);
  socket.addEventListener("open", () => {
    retry = 1000;
    emit("open", {});
    for (const s of subscriptions) send({ action: "subscribe", bot: s.bot, events: s.events });
  });
  socket.addEventListener("message", (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    emit(message.type, message);
  });
  socket.addEventListener("close", () => { socket = null; emit("close", {}); schedule(); });
}

function schedule() {
  if (!wanted) return;
  setTimeout(() => { if (wanted && !socket) connect(); }, retry);
  retry = Math.min(retry * 2, 30000);
}

export function disconnect() {
  wanted = false;
  subscriptions = [];
  if (socket) socket.close();
  socket = null;
}
