// The REST API: tokens kept in sessionStorage, refreshed before they expire, errors in the API's one shape.

const KEY = "petrel.session";

export class APIError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "error";
    this.field = error.field || null;
    this.details = error.details || [];
  }
}

function load() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch { return null; }
}

let session = load();

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next)); else sessionStorage.removeItem(KEY);
}

export function currentUser() { return session ? session.user : null; }

async function send(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["Authorization"] = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new APIError(response.status, data);
  return data;
}

function remember(pair) {
  save({
    access: pair.access_token, refresh: pair.refresh_token, user: pair.user,
    expiresAt: Date.now() + pair.expires_in * 1000,
  });
}

export async function login(username, password) {
  remember(await send("POST", "/api/v1/auth/login", { username, password }));
  return session.user;
}

export async function logout() {
  if (session) {
    try { await send("POST", "/api/v1/auth/logout", { refresh_token: session.refresh }, session.access); } catch { /* gone anyway */ }
  }
  save(null);
}

let refreshing = null;
async function fresh() {
  if (!session) throw new APIError(401, { error: { message: "log in first" } });
  if (Date.now() < session.expiresAt - 60_000) return session.access;
  refreshing ??= send("POST", "/api/v1/auth/refresh", { refresh_token: session.refresh })
    .then(remember).finally(() => { refreshing = null; });
  try { await refreshing; } catch (error) { save(null); throw error; }
  return session.access;
}

/// Calls an authenticated route; a 401 ends the session.
export async function api(method, path, body) {
  try {
    return await send(method, path, body, await fresh());
  } catch (error) {
    if (error.status === 401) { save(null); window.dispatchEvent(new Event("petrel:logged-out")); }
    throw error;
  }
}

/// Fetches an authenticated file that is not JSON (a backtest's HTML report) as a Blob.
export async function blob(path) {
  try {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${await fresh()}` } });
    if (!response.ok) {
      let data = null;
      try { data = JSON.parse(await response.text()); } catch { /* not the API's error shape */ }
      throw new APIError(response.status, data);
    }
    return await response.blob();
  } catch (error) {
    if (error.status === 401) { save(null); window.dispatchEvent(new Event("petrel:logged-out")); }
    throw error;
  }
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body);
export const put = (path, body) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);
