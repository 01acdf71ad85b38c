// Small behaviours on top of htmx; every page works without this file.

// The words shown, in the page's language (base.html writes them as JSON; reciprocity/offline/script_texts.py).
function appText(key, english) {
  try {
    return JSON.parse(document.getElementById("js-texts")?.textContent || "{}").app?.[key] || english;
  } catch {
    return english;
  }
}

document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// A failed request must not fail silently: say so where screen readers hear it.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const box = document.getElementById("live-status");
  if (!box) return;
  box.textContent = status === 404
    ? appText("gone", "That is no longer there. Reload the page.")
    : appText("failed", "Something went wrong and nothing changed. Reload the page and try again.");
  box.classList.add("alert");
});
document.addEventListener("htmx:sendError", () => {
  const box = document.getElementById("live-status");
  if (box) {
    box.textContent = appText("unreachable", "The app cannot be reached. Check the connection and try again.");
    box.classList.add("alert");
  }
});

// After a list is replaced, announce its new count and, if a pager link was used, keep focus in the list.
document.addEventListener("htmx:afterSwap", (event) => {
  const region = event.detail.target.id ? document.getElementById(event.detail.target.id) : null;
  const box = document.getElementById("live-status");
  const count = region && region.querySelector("[data-count]");
  if (box && count) { box.textContent = count.textContent; box.classList.remove("alert"); }
  if (region && event.detail.requestConfig.elt.closest(".pager")) {
    region.setAttribute("tabindex", "-1");
    region.focus();
  }
});

// A one-time link is selected whole when clicked, ready to copy (no inline handlers: the CSP forbids them).
document.addEventListener("click", (event) => {
  const field = event.target.closest && event.target.closest("input[data-select-on-focus]");
  if (field) field.select();
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches && event.target.matches("input[data-select-on-focus]")) event.target.select();
});
