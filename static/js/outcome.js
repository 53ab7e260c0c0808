// The outcome of a post where the user lands (issue 18). The server renders an error summary at the
// top of the page, or the success messages at the top; this script moves focus to it, and when the
// page was opened at an anchor (back to the item or flag just saved) it first moves the messages
// into that element, so that they are in view where the browser scrolls to.
"use strict";

(() => {
  const summary = document.querySelector("[data-outcome=error]");
  const messages = document.querySelector("[data-outcome=messages]");
  if (!summary && messages && location.hash.length > 1) {
    const anchor = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (anchor && !anchor.contains(messages)) {
      messages.classList.add("outcome-in-place");
      anchor.prepend(messages);
    }
  }
  const outcome = summary || messages || document.querySelector("[data-outcome]");
  if (!outcome) return;
  outcome.focus();
  // Scrolling to the anchor (after parsing) takes the focus off again in Chromium: take it back.
  window.addEventListener("load", () => {
    setTimeout(() => {
      if (!outcome.contains(document.activeElement)) outcome.focus({ preventScroll: true });
    });
  });
})();
