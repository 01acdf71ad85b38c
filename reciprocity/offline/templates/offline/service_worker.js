{% autoescape off %}// Reciprocity's service worker (docs/offline.md), served from /sw.js by reciprocity/offline/views.py.
// It keeps the shell (styles, scripts, icons, the offline page) and, each as it was when last opened online,
// the few private pages that must open offline: Today, the reflection form and the session form. It never
// keeps any other page, any answer of the API, or anything sent with POST.
const CONFIG = {{ config }};
{% endautoescape %}
const SHELL_CACHE = `shell-${CONFIG.version}`;
const PAGES_CACHE = "pages";  // private: emptied at sign-out by offline.js, and by the Clear-Site-Data header

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll(CONFIG.shell);
    // Without cookies, so the page kept is the same for everyone and names nobody.
    const offline = await fetch(CONFIG.offline, { credentials: "omit" });
    if (offline.ok) await cache.put(CONFIG.offline, offline);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const isKept = (url) => CONFIG.pages.includes(url.pathname);

async function fromNetworkKeepingPage(request, url) {
  const response = await fetch(request);
  // Only a page shown as itself: never a redirect (to sign in), an error, or a page of someone signed out.
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(url.pathname + url.search, response.clone());
  }
  return response;
}

async function keptPage(url) {
  const cache = await caches.open(PAGES_CACHE);
  const options = { ignoreVary: true };
  return (await cache.match(url.pathname + url.search, options))
    || (await cache.match(url.pathname, options))  // a form for one session falls back to the general form
    || (await caches.match(CONFIG.offline, options));
}

async function navigate(request, url) {
  try {
    return isKept(url) ? await fromNetworkKeepingPage(request, url) : await fetch(request);
  } catch (error) {
    const page = isKept(url) ? await keptPage(url) : await caches.match(CONFIG.offline, { ignoreVary: true });
    if (page) return page;
    throw error;
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  // Static names carry a hash of their content, so a file once kept never changes.
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(request));
  }
  // Everything else (htmx fragments, the API, downloads) goes to the network as if there were no worker.
});
