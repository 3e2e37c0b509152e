/**
 * The chat page: one self-contained HTML file (no build step, no external assets), in the bundle's language
 * (persona.language: Russian or English) with a switch kept in the browser. The conversation open is in the
 * URL's hash and in localStorage, so a reload or a new visit reopens it. Its script avoids template literals
 * so it can live in this TypeScript string unchanged.
 */

export type ChatPageLanguage = "ru" | "en";

/** Every word the page shows, per language; the script gets both for the switch. */
export const CHAT_PAGE_TEXT = {
  ru: {
    pageTitle: "Чат с клоном",
    newConversation: "+ Новый",
    newConversationTitle: "Новый разговор",
    conversations: "Разговоры",
    empty: "Напишите сообщение, чтобы начать разговор.",
    placeholder: "Сообщение…",
    send: "Отправить",
    stop: "Стоп",
    language: "Язык",
    tokenPrompt: "Этому клону нужен токен доступа:",
    failed: "Не удалось получить ответ",
  },
  en: {
    pageTitle: "Clone chat",
    newConversation: "+ New",
    newConversationTitle: "New conversation",
    conversations: "Conversations",
    empty: "Write a message to start a conversation.",
    placeholder: "Message…",
    send: "Send",
    stop: "Stop",
    language: "Language",
    tokenPrompt: "This clone needs its access token:",
    failed: "Could not get a reply",
  },
} as const satisfies Record<ChatPageLanguage, Record<string, string>>;

export type ChatPageTextKey = keyof (typeof CHAT_PAGE_TEXT)["ru"];

/** The page's language for a persona's language tag: Russian for ru*, English otherwise. */
export function pageLanguageOf(tag: string): ChatPageLanguage {
  return tag.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** A small speech-bubble icon, inline and served at /favicon.ico, so the browser asks for nothing missing. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#2f6fde" d="M4 6a4 4 0 0 1 4-4h16a4 4 0 0 1 4 4v13a4 4 0 0 1-4 4H13l-7 6v-6H8a4 4 0 0 1-4-4z"/></svg>';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page for a clone: its name and every word in the language given; the switch changes it in place. */
export function chatPageHtml(language: string, displayName: string): string {
  const lang = pageLanguageOf(language);
  const text = CHAT_PAGE_TEXT[lang];
  // JSON inside <script>: "<" escaped, so no text can close the element.
  const catalogue = JSON.stringify(CHAT_PAGE_TEXT).replace(/</g, "\\u003c");
  return PAGE_TEMPLATE.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (key === "lang") return lang;
    if (key === "name") return escapeHtml(displayName);
    if (key === "favicon") return encodeURIComponent(FAVICON_SVG);
    if (key === "catalogue") return catalogue;
    return escapeHtml(text[key as ChatPageTextKey] ?? key);
  });
}

const PAGE_TEMPLATE = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{name}} — {{pageTitle}}</title>
<link rel="icon" href="data:image/svg+xml,{{favicon}}">
<style>
  :root { --bg:#f6f6f4; --panel:#fff; --line:#e2e2de; --text:#1d1d1b; --muted:#77776f; --me:#dcecff; --accent:#2f6fde; }
  @media (prefers-color-scheme: dark) {
    :root { --bg:#18181a; --panel:#222226; --line:#333338; --text:#ececec; --muted:#9a9aa2; --me:#26385a; --accent:#6c9cff; }
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; margin: 0; }
  body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text);
         display: flex; height: 100dvh; }
  aside { width: 280px; border-right: 1px solid var(--line); background: var(--panel); display: flex; flex-direction: column; }
  aside header { padding: 12px; display: flex; gap: 8px; align-items: center; border-bottom: 1px solid var(--line); }
  aside h1 { font-size: 17px; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  #list { overflow-y: auto; flex: 1; margin: 0; padding: 0; list-style: none; }
  #list li { padding: 10px 12px; border-bottom: 1px solid var(--line); cursor: pointer; }
  #list li.active { background: var(--me); }
  #list small { color: var(--muted); display: block; }
  main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
  main header { display: none; padding: 10px 12px; border-bottom: 1px solid var(--line); background: var(--panel); gap: 8px; align-items: center; }
  #messages { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
  .msg { max-width: min(720px, 88%); padding: 9px 13px; border-radius: 14px; background: var(--panel); border: 1px solid var(--line);
         white-space: pre-wrap; overflow-wrap: anywhere; }
  .msg.user { align-self: flex-end; background: var(--me); }
  .msg.error { border-color: #d33; color: #d33; }
  .empty { color: var(--muted); margin: auto; text-align: center; }
  form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid var(--line); background: var(--panel); }
  textarea { flex: 1; resize: none; font: inherit; padding: 9px 11px; border-radius: 10px; border: 1px solid var(--line);
             background: var(--bg); color: var(--text); max-height: 40vh; }
  button { font: inherit; border: 0; border-radius: 10px; padding: 8px 14px; background: var(--accent); color: #fff; cursor: pointer; }
  button.plain { background: transparent; color: var(--accent); padding: 6px 8px; }
  select { font: inherit; font-size: 14px; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--text); }
  aside footer { padding: 8px 12px; border-top: 1px solid var(--line); }
  @media (max-width: 700px) {
    aside { position: fixed; inset: 0 20% 0 0; z-index: 2; transform: translateX(-105%); transition: transform .2s; width: auto; }
    body.drawer aside { transform: none; box-shadow: 0 0 0 100vw rgba(0,0,0,.35); }
    main header { display: flex; }
  }
</style>
</head>
<body>
<aside>
  <header><h1 id="title">{{name}}</h1><button id="new" data-t="newConversation" data-t-title="newConversationTitle" title="{{newConversationTitle}}">{{newConversation}}</button></header>
  <ul id="list" data-t-aria="conversations" aria-label="{{conversations}}"></ul>
  <footer><select id="lang" data-t-aria="language" aria-label="{{language}}"><option value="ru">Русский</option><option value="en">English</option></select></footer>
</aside>
<main>
  <header><button class="plain" id="menu" data-t-aria="conversations" aria-label="{{conversations}}">☰</button><strong id="title2">{{name}}</strong></header>
  <div id="messages"><p class="empty" data-t="empty">{{empty}}</p></div>
  <form id="form">
    <textarea id="input" rows="1" data-t-placeholder="placeholder" placeholder="{{placeholder}}" autofocus></textarea>
    <button id="send" type="submit">{{send}}</button>
  </form>
</main>
<script>
"use strict";
var TEXT = {{catalogue}};
var state = { id: null, controller: null, lang: document.documentElement.lang, list: [] };
var $ = function (id) { return document.getElementById(id); };
function t(key) { return (TEXT[state.lang] || TEXT.en)[key]; }


function token() { return localStorage.getItem("aiclone-token") || ""; }

async function api(path, init) {
  init = init || {};
  init.headers = Object.assign({}, init.headers || {});
  if (token()) init.headers.authorization = "Bearer " + token();
  var res = await fetch(path, init);
  if (res.status === 401) {
    var given = prompt(t("tokenPrompt"));
    if (!given) throw new Error("no token");
    localStorage.setItem("aiclone-token", given.trim());
    return api(path, init);
  }
  if (!res.ok) {
    var body = await res.json().catch(function () { return {}; });
    throw new Error((body.error && body.error.message) || ("HTTP " + res.status));
  }
  return res;
}

function bubble(role, text) {
  var empty = document.querySelector("#messages .empty");
  if (empty) empty.remove();
  var div = document.createElement("div");
  div.className = "msg " + role;
  div.textContent = text;
  $("messages").appendChild(div);
  $("messages").scrollTop = $("messages").scrollHeight;
  return div;
}

/** Puts every word of the page in the language given (the switch, or a choice kept from an earlier visit). */
function applyLanguage(lang) {
  if (!TEXT[lang]) return;
  state.lang = lang;
  document.documentElement.lang = lang;
  $("lang").value = lang;
  document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-t-title]").forEach(function (el) { el.title = t(el.dataset.tTitle); });
  document.querySelectorAll("[data-t-aria]").forEach(function (el) { el.setAttribute("aria-label", t(el.dataset.tAria)); });
  document.querySelectorAll("[data-t-placeholder]").forEach(function (el) { el.placeholder = t(el.dataset.tPlaceholder); });
  $("send").textContent = t(state.controller ? "stop" : "send");
  renderList();
}

function remember(id) {
  state.id = id;
  if (location.hash.slice(1) !== id) history.replaceState(null, "", "#" + id);
  try { localStorage.setItem("aiclone-conversation", id); } catch (e) {}
}

function renderList() {
  var list = $("list");
  list.textContent = "";
  state.list.forEach(function (c) {
    var li = document.createElement("li");
    li.textContent = c.title || c.partner.displayName;
    var small = document.createElement("small");
    small.textContent = new Date(c.updatedAt).toLocaleString(state.lang);
    li.appendChild(small);
    if (c.conversationId === state.id) li.className = "active";
    li.onclick = function () { openConversation(c.conversationId); };
    list.appendChild(li);
  });
}

async function loadList() {
  var data = await (await api("/api/conversations")).json();
  // A conversation whose first reply is still being written is not stored yet: it stays listed meanwhile.
  var pending = state.list.filter(function (c) {
    return c.pending && !data.conversations.some(function (d) { return d.conversationId === c.conversationId; });
  });
  state.list = pending.concat(data.conversations);
  renderList();
}

/** Shows a conversation in the list as soon as its first message is sent, before the reply is stored. */
function listPending(id, text) {
  if (state.list.some(function (c) { return c.conversationId === id; })) return;
  state.list.unshift({ conversationId: id, title: text.split("\\n")[0].slice(0, 60), updatedAt: new Date().toISOString(), pending: true, partner: { displayName: "" } });
  renderList();
}

function showEmpty() {
  var p = document.createElement("p");
  p.className = "empty";
  p.dataset.t = "empty";
  p.textContent = t("empty");
  $("messages").textContent = "";
  $("messages").appendChild(p);
}

async function openConversation(id) {
  document.body.classList.remove("drawer");
  remember(id);
  $("messages").textContent = "";
  var data = await (await api("/api/conversations/" + encodeURIComponent(id) + "/messages")).json();
  if (data.messages.length === 0) showEmpty();
  data.messages.forEach(function (m) { if (m.role !== "system") bubble(m.role, m.content); });
  await loadList();
}

async function newConversation() {
  var data = await (await api("/api/conversations", { method: "POST" })).json();
  await openConversation(data.conversationId);
}

async function send(text) {
  if (!state.id) {
    var data = await (await api("/api/conversations", { method: "POST" })).json();
    remember(data.conversationId);
  }
  listPending(state.id, text);
  bubble("user", text);
  var out = bubble("assistant", "…");
  var received = "";
  state.controller = new AbortController();
  $("send").textContent = t("stop");
  try {
    var res = await api("/api/conversations/" + encodeURIComponent(state.id) + "/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: text }),
      signal: state.controller.signal,
    });
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      buffer += decoder.decode(step.value, { stream: true });
      var cut;
      while ((cut = buffer.indexOf("\\n\\n")) !== -1) {
        var frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        var json = frame.split("\\n").map(function (l) { return l.replace(/^data: ?/, ""); }).join("\\n");
        var event = JSON.parse(json);
        if (event.type === "text") { received += event.text; out.textContent = received; }
        else if (event.type === "error") { out.className = "msg error"; out.title = event.message; out.textContent = received + "\\n⚠ " + t("failed"); }
        $("messages").scrollTop = $("messages").scrollHeight;
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") { out.className = "msg error"; out.title = error.message; out.textContent = received + "\\n⚠ " + t("failed"); }
  } finally {
    state.controller = null;
    $("send").textContent = t("send");
    loadList().catch(function () {});
  }
}

$("form").onsubmit = function (event) {
  event.preventDefault();
  if (state.controller) { state.controller.abort(); return; }
  var text = $("input").value.trim();
  if (!text) return;
  $("input").value = "";
  send(text);
};
$("input").onkeydown = function (event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); $("form").requestSubmit(); }
};
$("new").onclick = function () { newConversation().catch(function (e) { alert(t("failed") + ": " + e.message); }); };
$("lang").onchange = function () {
  try { localStorage.setItem("aiclone-lang", $("lang").value); } catch (e) {}
  applyLanguage($("lang").value);
};
// Conversations may change while the page is in the background (another tab, the API): refreshed on return.
window.addEventListener("focus", function () { loadList().catch(function () {}); });
$("menu").onclick = function () { document.body.classList.toggle("drawer"); };

function startPage() {
  var kept = null;
  try { kept = localStorage.getItem("aiclone-lang"); } catch (e) {}
  applyLanguage(kept && TEXT[kept] ? kept : state.lang);
  var stored = null;
  try { stored = localStorage.getItem("aiclone-conversation"); } catch (e) {}
  var id = decodeURIComponent(location.hash.slice(1)) || stored || "";
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? openConversation(id) : loadList();
}
startPage().catch(function (e) { bubble("error", t("failed") + ": " + e.message); });
</script>
</body>
</html>
`;
