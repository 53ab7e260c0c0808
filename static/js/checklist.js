// Saves one checklist item in place. The form works without this script (it posts and the server
// redirects back to the item); with it, the post goes by fetch and the server answers with the
// item's card and the sections' progress (filings/answer_fragment.html), which replace the old ones.
"use strict";

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-save-in-place]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  const card = form.closest("[data-item-card]");
  const button = form.querySelector("[type=submit]");
  button.disabled = true;
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Fragment": "answer" },
      credentials: "same-origin",
    });
  } catch {
    form.submit(); // the network failed: a plain post shows the browser's own error
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.headers.has("X-Fragment") || !type.startsWith("text/html")) {
    form.submit(); // not a fragment (a login page, a 403 page): let the browser show it
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  const fresh = template.content.querySelector("[data-item-card]");
  const sections = template.content.querySelector("#checklist-sections");
  card.replaceWith(fresh);
  if (sections) document.getElementById("checklist-sections")?.replaceWith(sections);
  const invalid = fresh.querySelector("[aria-invalid=true]");
  (invalid || fresh.querySelector("[data-save-status]")).focus();
});
