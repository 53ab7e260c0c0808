// Saves checklist items in place. The forms work without this script (each posts and the server
// redirects back to the item); with it, a save goes by fetch to the same per-item endpoint with the
// same version check, and the server answers with the item's card and the sections' progress
// (filings/answer_fragment.html), which replace the old ones.
//
// An item also saves itself when the user leaves it with changes (focus moves out of its card),
// and shows its state: 未保存 (changed, not saved) / 保存中 / 保存済 / 競合 (a colleague saved it
// first: their version is shown, the typed text is kept, and a save replaces theirs). Leaving the
// page while an item is unsaved or saving asks first.
"use strict";

const dirty = new Set(); // forms with changes not yet sent
const saving = new Map(); // form -> whether it changed again while its save was under way
const conflicted = new Set(); // forms refused as stale: saved again only by the user's click
const COLOURS = {
  unsaved: "text-bg-warning",
  saving: "text-bg-secondary",
  saved: "text-bg-success",
  conflict: "text-bg-danger",
};

function stateOf(card, state) {
  const label = card.querySelector("[data-autosave-state]");
  if (!label) return;
  label.textContent = state ? label.dataset[state] : "";
  label.className = state ? `badge ${COLOURS[state]} autosave-${state}` : "";
}

async function save(form, { focus }) {
  const card = form.closest("[data-item-card]");
  const button = form.querySelector("[type=submit]");
  dirty.delete(form);
  conflicted.delete(form);
  saving.set(form, false);
  stateOf(card, "saving");
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
    saving.delete(form);
    if (focus) form.submit(); // the network failed: a plain post shows the browser's own error
    else { dirty.add(form); stateOf(card, "unsaved"); button.disabled = false; }
    return;
  }
  const changedMeanwhile = saving.get(form);
  saving.delete(form);
  const type = response.headers.get("Content-Type") || "";
  if (!response.headers.has("X-Fragment") || !type.startsWith("text/html")) {
    form.submit(); // not a fragment (a login page, a 403 page): let the browser show it
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  const fresh = template.content.querySelector("[data-item-card]");
  const sections = template.content.querySelector("#checklist-sections");
  if (sections) document.getElementById("checklist-sections")?.replaceWith(sections);
  if (changedMeanwhile && response.ok) {
    // The user typed on while it saved: keep their text, take the new version, save again later.
    for (const name of ["version", "digest"]) {
      const input = form.querySelector(`input[name$="-${name}"]`);
      input.value = fresh.querySelector(`input[name$="-${name}"]`).value;
    }
    dirty.add(form);
    stateOf(card, "unsaved");
    button.disabled = false;
    return;
  }
  card.replaceWith(fresh);
  const freshForm = fresh.querySelector("form[data-save-in-place]");
  if (response.status === 409) {
    conflicted.add(freshForm); // the typed text is kept, not saved: the user decides
    stateOf(fresh, "conflict");
  } else if (response.ok) {
    stateOf(fresh, "saved");
  } else {
    dirty.add(freshForm);
    stateOf(fresh, "unsaved");
  }
  // An explicit save keeps the focus on its outcome; a save on leaving leaves it where it went.
  if (focus) (fresh.querySelector("[aria-invalid=true]") || fresh.querySelector("[data-save-status]")).focus();
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-save-in-place]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  save(form, { focus: true });
});

function changed(event) {
  const form = event.target.closest("form[data-save-in-place]");
  if (!form) return;
  if (saving.has(form)) saving.set(form, true);
  if (!dirty.has(form) && !conflicted.has(form)) {
    dirty.add(form);
    stateOf(form.closest("[data-item-card]"), "unsaved");
  }
}
document.addEventListener("input", changed);
document.addEventListener("change", changed);

// Leaving an item (focus moves out of its card) saves it if it changed.
document.addEventListener("focusout", (event) => {
  const card = event.target.closest("[data-item-card]");
  if (!card || (event.relatedTarget && card.contains(event.relatedTarget))) return;
  const form = card.querySelector("form[data-save-in-place]");
  if (form && dirty.has(form) && !saving.has(form) && window.fetch) save(form, { focus: false });
});

window.addEventListener("beforeunload", (event) => {
  if (dirty.size || saving.size || conflicted.size) {
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to ask
  }
});
