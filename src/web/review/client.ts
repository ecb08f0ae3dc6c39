/**
 * The steward app's script, inlined into its page (the page loads nothing). Plain browser JavaScript kept as text:
 * the project's TypeScript is compiled for Node without the DOM's types, and the test in a real browser
 * (test/browser/review-app.test.ts) is what checks it. It reads the token from the page's URL and sends it with every
 * request; the pair's HTML comes from the server, which renders it with the report's components.
 */
export const CLIENT_SCRIPT = String.raw`
"use strict";
(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const LIMIT = 50;
  const state = { offset: 0, total: 0, pairs: [], current: -1, busy: false };
  const $ = (id) => document.getElementById(id);
  const list = $("queue-list");
  const reason = $("reason");
  const status = $("status");

  async function api(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: Object.assign({ "x-clue-token": token }, body === undefined ? {} : { "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({ error: "the app sent something that is not JSON" }));
    return { ok: response.ok, status: response.status, data };
  }

  function say(text, problem) {
    status.textContent = text;
    status.className = "review-status" + (problem ? " review-problem" : "");
    status.setAttribute("role", problem ? "alert" : "status");
  }

  const LABELS = { merge: "merged", never_merge: "never merge", skip: "skipped" };

  function renderList() {
    list.textContent = "";
    state.pairs.forEach((pair, k) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "review-item" + (k === state.current ? " current" : "") + (pair.decided ? " decided" : "");
      if (k === state.current) button.setAttribute("aria-current", "true");
      button.dataset.key = pair.key;
      const names = document.createElement("span");
      names.className = "review-item-names";
      names.textContent = pair.a + " ~ " + pair.b;
      const score = document.createElement("span");
      score.className = "review-item-score";
      score.textContent = pair.score.toFixed(4) + (pair.decided ? " · " + LABELS[pair.decided] : "");
      button.append(names, score);
      button.addEventListener("click", () => select(k));
      item.append(button);
      list.append(item);
    });
    const last = Math.min(state.offset + state.pairs.length, state.total);
    $("queue-summary").textContent = state.total === 0
      ? "Nothing is queued for review."
      : (state.offset + 1) + "–" + last + " of " + state.total + " queued pairs, most uncertain first";
    $("previous-page").disabled = state.offset === 0;
    $("next-page").disabled = state.offset + LIMIT >= state.total;
  }

  async function loadPage(offset, pick) {
    const { ok, data } = await api("/api/queue?offset=" + offset + "&limit=" + LIMIT);
    if (!ok) return say(data.error, true);
    state.offset = offset;
    state.total = data.total;
    state.pairs = data.pairs;
    document.title = "Review queue: " + data.entity + " · clue";
    $("decision-title").textContent = "Decision (into " + data.file + ")";
    state.current = -1;
    renderList();
    if (state.pairs.length > 0) await select(pick === "last" ? state.pairs.length - 1 : firstUndecided());
    else {
      $("pair-title").textContent = "No pair selected";
      $("pair-body").textContent = "";
    }
  }

  function firstUndecided() {
    const k = state.pairs.findIndex((p) => !p.decided);
    return k === -1 ? 0 : k;
  }

  async function select(k) {
    const pair = state.pairs[k];
    if (!pair) return;
    state.current = k;
    renderList();
    const { ok, data } = await api("/api/pair?key=" + encodeURIComponent(pair.key));
    if (!ok) return say(data.error, true);
    $("pair-title").textContent = pair.a + " ~ " + pair.b;
    $("pair-body").innerHTML = data.html;
  }

  async function move(step) {
    const k = state.current + step;
    if (k >= 0 && k < state.pairs.length) return select(k);
    if (k >= state.pairs.length && state.offset + LIMIT < state.total) return loadPage(state.offset + LIMIT);
    if (k < 0 && state.offset > 0) return loadPage(Math.max(0, state.offset - LIMIT), "last");
  }

  async function decide(action) {
    const pair = state.pairs[state.current];
    if (!pair || state.busy) return;
    state.busy = true;
    try {
      const { ok, data } = await api("/api/decide", { key: pair.key, action, reason: reason.value });
      if (!ok) return say(data.error + " (your reason is kept)", true);
      pair.decided = action;
      reason.value = "";
      say(action === "skip" ? "Skipped " + pair.key + "." : "Wrote " + LABELS[action] + " for " + pair.key + " into " + data.file + ".");
      const next = state.pairs.findIndex((p, k) => k > state.current && !p.decided);
      if (next !== -1) await select(next);
      else if (state.offset + LIMIT < state.total) await loadPage(state.offset + LIMIT);
      else renderList();
    } finally {
      state.busy = false;
    }
  }

  async function reload() {
    say("Reloading: reading the config and the inputs again…");
    // The pair the reason was typed for stays selected when it is still queued; otherwise the reason is cleared, so
    // it can never be written onto another pair.
    const kept = state.pairs[state.current] && state.pairs[state.current].key;
    const { ok, data } = await api("/api/reload", {});
    if (!ok) return say(data.error, true);
    await loadPage(0);
    const again = state.pairs.findIndex((p) => p.key === kept);
    if (again !== -1) await select(again);
    else reason.value = "";
    say("Reloaded: " + data.total + " queued pairs.");
  }

  document.querySelectorAll("[data-action]").forEach((button) =>
    button.addEventListener("click", () => decide(button.dataset.action)));
  $("reload").addEventListener("click", reload);
  $("previous-page").addEventListener("click", () => loadPage(Math.max(0, state.offset - LIMIT)));
  $("next-page").addEventListener("click", () => loadPage(state.offset + LIMIT));
  $("decision").addEventListener("submit", (event) => event.preventDefault());

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof HTMLElement && /^(TEXTAREA|INPUT|SELECT)$/.test(event.target.tagName);
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const keys = {
      j: () => move(1),
      k: () => move(-1),
      m: () => decide("merge"),
      n: () => decide("never_merge"),
      s: () => decide("skip"),
      r: () => reason.focus(),
      "?": () => { const help = document.querySelector(".review-help"); help.open = !help.open; },
    };
    const run = keys[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  });

  loadPage(0);
})();
`;
