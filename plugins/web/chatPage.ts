/**
 * The chat page: one self-contained HTML file (no build step, no external assets). Its script avoids
 * template literals so it can live in this TypeScript string unchanged.
 */
export const CHAT_PAGE_HTML = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clone chat</title>
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
  @media (max-width: 700px) {
    aside { position: fixed; inset: 0 20% 0 0; z-index: 2; transform: translateX(-105%); transition: transform .2s; width: auto; }
    body.drawer aside { transform: none; box-shadow: 0 0 0 100vw rgba(0,0,0,.35); }
    main header { display: flex; }
  }
</style>
</head>
<body>
<aside>
  <header><h1 id="title">Clone</h1><button id="new" title="New conversation">+ Новый</button></header>
  <ul id="list"></ul>
</aside>
<main>
  <header><button class="plain" id="menu" aria-label="Conversations">☰</button><strong id="title2">Clone</strong></header>
  <div id="messages"><p class="empty">Напишите сообщение, чтобы начать разговор.</p></div>
  <form id="form">
    <textarea id="input" rows="1" placeholder="Сообщение…" autofocus></textarea>
    <button id="send" type="submit">Send</button>
  </form>
</main>
<script>
"use strict";
var state = { id: null, controller: null };
var $ = function (id) { return document.getElementById(id); };

function token() { return localStorage.getItem("aiclone-token") || ""; }

async function api(path, init) {
  init = init || {};
  init.headers = Object.assign({}, init.headers || {});
  if (token()) init.headers.authorization = "Bearer " + token();
  var res = await fetch(path, init);
  if (res.status === 401) {
    var given = prompt("This clone needs its access token:");
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

async function loadInfo() {
  var info = await (await api("/api/info")).json();
  document.title = info.clone.displayName;
  $("title").textContent = info.clone.displayName;
  $("title2").textContent = info.clone.displayName;
}

async function loadList() {
  var data = await (await api("/api/conversations")).json();
  var list = $("list");
  list.textContent = "";
  data.conversations.forEach(function (c) {
    var li = document.createElement("li");
    li.textContent = c.title || c.partner.displayName;
    var small = document.createElement("small");
    small.textContent = new Date(c.updatedAt).toLocaleString();
    li.appendChild(small);
    if (c.conversationId === state.id) li.className = "active";
    li.onclick = function () { openConversation(c.conversationId); };
    list.appendChild(li);
  });
}

async function openConversation(id) {
  document.body.classList.remove("drawer");
  state.id = id;
  location.hash = id;
  $("messages").textContent = "";
  var data = await (await api("/api/conversations/" + encodeURIComponent(id) + "/messages")).json();
  if (data.messages.length === 0) bubble("empty", "Напишите сообщение, чтобы начать разговор.").className = "empty";
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
    state.id = data.conversationId;
    location.hash = state.id;
  }
  bubble("user", text);
  var out = bubble("assistant", "…");
  var received = "";
  state.controller = new AbortController();
  $("send").textContent = "Stop";
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
        else if (event.type === "error") { out.className = "msg error"; out.textContent = received + "\\n⚠ " + event.message; }
        $("messages").scrollTop = $("messages").scrollHeight;
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") { out.className = "msg error"; out.textContent = received + "\\n⚠ " + error.message; }
  } finally {
    state.controller = null;
    $("send").textContent = "Send";
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
$("new").onclick = function () { newConversation().catch(function (e) { alert(e.message); }); };
$("menu").onclick = function () { document.body.classList.toggle("drawer"); };

loadInfo().then(function () {
  var id = decodeURIComponent(location.hash.slice(1));
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? openConversation(id) : loadList();
}).catch(function (e) { bubble("error", e.message); });
</script>
</body>
</html>
`;
