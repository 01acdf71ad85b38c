// Installable and offline (docs/offline.md). This file registers the service worker (/sw.js) and keeps what a
// reflection or session form holds when it is sent without a connection: as a draft in IndexedDB, encrypted
// with AES-GCM under a key the page makes and cannot export, until the connection returns and the draft is
// sent to the form's own address. Each form carries an id made here (submission_id), so a draft sent twice is
// saved once. Signing out deletes every draft and every page kept for offline use.
(() => {
  "use strict";
  const DB_NAME = "reciprocity-offline";
  const PAGES_CACHE = "pages";  // the service worker's cache of private pages (Today and the two forms)
  const KINDS = ["reflection", "session"];
  const owner = document.querySelector('meta[name="offline-owner"]')?.content || null;  // who is signed in
  const box = document.getElementById("offline-status");
  const opened = new Set();  // drafts put back into this page's form: not sent behind the person's back

  // The words shown, in the page's language (base.html writes them as JSON; reciprocity/offline/script_texts.py).
  const texts = (() => {
    try { return JSON.parse(document.getElementById("js-texts")?.textContent || "{}").offline || {}; }
    catch { return {}; }
  })();
  const say = (key, english, values = {}) => (texts[key] || english)
    .replace(/\{(\w+)\}/g, (hole, name) => (name in values ? String(values[name]) : hole));
  const ENGLISH = {
    reflectionOne: "{n} reflection", reflectionMany: "{n} reflections",
    sessionOne: "{n} session", sessionMany: "{n} sessions",
  };

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }
  // Drafts need WebCrypto and random ids, which browsers give only to a secure page (https or this machine).
  const canKeepDrafts = Boolean(window.isSecureContext && window.indexedDB && window.crypto?.subtle
    && crypto.randomUUID);

  let database = null;
  let forgetting = false;  // signing out: nothing may open the drafts again, or their deletion would wait on it
  function openDatabase() {
    if (forgetting) return Promise.reject(new Error("signing out"));
    database ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("keys");
        request.result.createObjectStore("drafts", { keyPath: "id" });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); database = null; };  // another tab signs out: let it delete
        resolve(db);
      };
      request.onerror = () => { database = null; reject(request.error); };
    });
    return database;
  }

  async function inStore(store, mode, work) {
    const db = await openDatabase();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  // The key: AES-GCM, 256 bits, not extractable (no script can read its bytes), made once and kept in
  // IndexedDB beside the drafts so that a draft outlives the tab that wrote it; sign-out deletes both.
  async function draftKey() {
    const kept = await inStore("keys", "readonly", (s) => s.get("drafts"));
    if (kept) return kept;
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    try {
      await inStore("keys", "readwrite", (s) => s.add(key, "drafts"));
      return key;
    } catch {
      return inStore("keys", "readonly", (s) => s.get("drafts"));  // another tab made one first
    }
  }

  async function seal(content) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(content));
    return { iv, sealed: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await draftKey(), plain) };
  }

  async function unseal(draft) {
    const key = await inStore("keys", "readonly", (s) => s.get("drafts"));
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: draft.iv }, key, draft.sealed);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  const ownDrafts = async () => (await inStore("drafts", "readonly", (s) => s.getAll()))
    .filter((draft) => !owner || draft.owner === owner);
  const forget = (id) => inStore("drafts", "readwrite", (s) => s.delete(id));

  function submissionId(form) {
    let field = form.querySelector('input[name="submission_id"]');
    if (!field) {
      field = Object.assign(document.createElement("input"), { type: "hidden", name: "submission_id" });
      form.append(field);
    }
    if (!field.value) field.value = crypto.randomUUID();
    return field;
  }

  // "1 reflection and 2 sessions": each kind with its count, the two joined as one phrase.
  function counted(drafts) {
    const parts = KINDS
      .map((kind) => [kind, drafts.filter((d) => d.kind === kind).length])
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => {
        const key = kind + (n === 1 ? "One" : "Many");
        return say(key, ENGLISH[key], { n });
      });
    return parts.length > 1 ? say("and", "{first} and {second}", { first: parts[0], second: parts[1] }) : parts[0];
  }

  function announce(text) {
    const live = document.getElementById("live-status");
    if (live) { live.textContent = text; live.classList.remove("alert"); }
  }

  function line(text) {
    const p = document.createElement("p");
    p.textContent = text;
    box.append(p);
    return p;
  }

  // Says plainly what is waiting on this device, and what is needed for it to be sent.
  async function showWaiting() {
    if (!box) return;
    const drafts = canKeepDrafts ? await ownDrafts() : [];
    const waiting = drafts.filter((d) => !d.problem && !opened.has(d.id));
    const stuck = drafts.filter((d) => d.problem && !opened.has(d.id));
    box.replaceChildren();
    if (!navigator.onLine && owner) {
      line(say("offline", "You are offline. This page is as it was when it was last loaded."));
    }
    if (waiting.length) {
      const one = waiting.length === 1;
      const it = one ? "it" : "they";
      const [key, when] = !navigator.onLine ? ["waitingOffline", `${it} will be sent when you are back online`]
        : owner ? ["waitingOnline", `${it} will be sent now that you are back online`]
          : ["waitingSignedOut", `sign in to send ${one ? "it" : "them"}`];
      line(say(key + (one ? "One" : "Many"), `{drafts} waiting to be sent — ${when}.`, { drafts: counted(waiting) }));
    }
    for (const draft of stuck) {
      const problem = draft.kind === "session"
        ? say("stuckSession", "A session written offline could not be sent: something in it needs changing.")
        : say("stuckReflection", "A reflection written offline could not be sent: something in it needs changing.");
      const p = line(`${problem} `);
      const content = await unseal(draft).catch(() => null);
      if (content) {
        const link = Object.assign(document.createElement("a"), { textContent: say("openToFix", "Open it to fix it") });
        link.href = `${content.action.split("#")[0]}#draft=${draft.id}`;
        p.append(link);
      }
    }
  }

  async function keepDraft(form) {
    const id = submissionId(form).value;
    const fields = [...new FormData(form)]
      .filter(([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string");
    const draft = { id, kind: form.dataset.offline, owner, savedAt: Date.now(), problem: null };
    Object.assign(draft, await seal({ action: form.action, fields }));
    await inStore("drafts", "readwrite", (s) => s.put(draft));
    form.reset();
    submissionId(form).value = crypto.randomUUID();  // the emptied form is a new one
    await showWaiting();
    window.scrollTo(0, 0);
  }

  // A fresh CSRF token from the form's own page, and proof that the same person is still signed in there.
  async function freshToken(action) {
    const response = await fetch(action, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    if (page.querySelector('meta[name="offline-owner"]')?.content !== owner) return null;
    return page.querySelector('meta[name="csrf-token"]')?.content || null;
  }

  async function send(content) {
    const token = await freshToken(content.action);
    if (!token) return "later";
    const body = new URLSearchParams(content.fields);
    body.set("csrfmiddlewaretoken", token);
    const response = await fetch(content.action, {
      method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": token },
    });
    if (response.status === 422) return "invalid";  // the form was refused: the person must change something
    return response.ok && response.redirected ? "sent" : "later";
  }

  let sending = false;
  async function sendWaiting() {
    if (!canKeepDrafts || !owner || !navigator.onLine || sending) return;
    sending = true;
    const sent = [];
    try {
      for (const draft of await ownDrafts()) {
        if (draft.problem || opened.has(draft.id)) continue;
        const content = await unseal(draft);
        const outcome = await send(content);
        if (outcome === "later") break;
        if (outcome === "sent") {
          await forget(draft.id);
          sent.push(draft);
        } else {
          await inStore("drafts", "readwrite", (s) => s.put({ ...draft, problem: "invalid" }));
        }
      }
    } catch {
      // offline again, or the server did not answer: the drafts stay and are tried on the next page or reconnection
    } finally {
      sending = false;
      if (sent.length) announce(say("sent", "Sent: {drafts} written offline.", { drafts: counted(sent) }));
      await showWaiting();
    }
  }

  function putBack(form, fields) {
    for (const [name, value] of fields) {
      for (const field of form.elements) {
        if (field.name !== name) continue;
        if (field.type === "radio" || field.type === "checkbox") field.checked ||= field.value === value;
        else if (field.multiple) [...field.options].forEach((o) => { o.selected ||= o.value === value; });
        else field.value = value;
      }
    }
  }

  // "Open it to fix it": the draft goes back into the form (with its id, so sending it cannot save it twice).
  async function openDraftFromAddress() {
    const match = location.hash.match(/^#draft=([\w-]+)$/);
    const form = document.querySelector("form[data-offline]");
    if (!match || !form) return;
    const draft = (await ownDrafts()).find((d) => d.id === match[1]);
    if (!draft) return;
    opened.add(draft.id);
    putBack(form, (await unseal(draft)).fields);
    await inStore("drafts", "readwrite", (s) => s.put({ ...draft, problem: null }));
    announce(say("draftBack", "Your draft is back in the form. Change what is needed and save it."));
  }

  // Another person signed in on this browser: drafts left by someone who never signed out are theirs alone.
  async function forgetOthersDrafts() {
    if (!owner) return;
    for (const draft of await inStore("drafts", "readonly", (s) => s.getAll())) {
      if (draft.owner !== owner) await forget(draft.id);
    }
  }

  async function forgetEverything() {
    forgetting = true;
    if (database) (await database.catch(() => null))?.close();
    database = null;
    // Blocked means another page still has the drafts open: it closes them on "versionchange" and the deletion
    // then goes on, so wait for it (sign-out's own patience bounds the wait) rather than leave before it is done.
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = resolve;
    });
    if (window.caches) await caches.delete(PAGES_CACHE);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-sign-out]")) {
      event.preventDefault();
      // Sign-out never waits long on this: the response's Clear-Site-Data header deletes the same things.
      const patience = new Promise((resolve) => { setTimeout(resolve, 3000); });
      Promise.race([forgetEverything().catch(() => {}), patience]).then(() => form.submit());
      return;
    }
    if (!form.matches("form[data-offline]") || !canKeepDrafts) return;
    submissionId(form);
    if (navigator.onLine) return;  // sent as usual; the id still makes a second send harmless
    event.preventDefault();
    keepDraft(form).catch(() => announce(
      say("notKept", "This could not be kept on this device. Copy your words somewhere safe."),
    ));
  });

  window.addEventListener("hashchange", () => { openDraftFromAddress().then(showWaiting).catch(() => {}); });
  window.addEventListener("online", () => { showWaiting().then(sendWaiting); });
  window.addEventListener("offline", () => { showWaiting(); });

  if (canKeepDrafts && box) {
    forgetOthersDrafts().then(openDraftFromAddress).then(showWaiting).then(sendWaiting).catch(() => {});
  } else if (box) {
    showWaiting();
  }
})();
