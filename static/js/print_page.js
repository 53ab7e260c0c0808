// The page's print button (a button needs a script; the browser's own Print works without it).
"use strict";

document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
