"""Steps every browser journey shares, and the layout check every page gets."""

import weakref
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, ViewportSize

from tests.factories import PASSWORD

NARROW: ViewportSize = {"width": 390, "height": 844}  # a phone
WIDE: ViewportSize = {"width": 1366, "height": 900}  # the most common office laptop

CONTROLS = "input:not([type=hidden]), select, textarea, button"
TRIAL_TIMEOUT = 2_000  # ms; a usable control passes the actionability checks at once

# Outermost elements that stick out to the right of the viewport, to name the culprit.
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const sticking = [...document.body.querySelectorAll("*")].filter((el) => {
    const right = el.getBoundingClientRect().right + window.scrollX;
    const parent = el.parentElement.getBoundingClientRect().right + window.scrollX;
    return right > width + 0.5 && parent <= width + 0.5;
  });
  return {
    innerWidth: width,
    scrollWidth: document.documentElement.scrollWidth,
    sticking: sticking.slice(0, 5).map((el) =>
      `<${el.tagName.toLowerCase()} class="${el.className}"> right edge at ` +
      `${Math.round(el.getBoundingClientRect().right + window.scrollX)} px`),
  };
}"""

# For each control: is it rendered at all (not display:none, not in a closed <details> or
# dropdown), is it disabled, its box in document coordinates, and how much of the box is left
# after every clipping ancestor (overflow other than visible).
_CONTROLS_JS = """(controls) => controls.map((el) => {
  const box = el.getBoundingClientRect();
  let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
  let clipper = "";
  for (let up = el.parentElement; up && up !== document.documentElement; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflowX === "visible" && style.overflowY === "visible") continue;
    const clip = up.getBoundingClientRect();
    left = Math.max(left, clip.left);
    top = Math.max(top, clip.top);
    right = Math.min(right, clip.right);
    bottom = Math.min(bottom, clip.bottom);
    if (!clipper && (right - left < 1 || bottom - top < 1)) {
      clipper = `<${up.tagName.toLowerCase()} class="${up.className}">`;
    }
  }
  const label = el.labels && el.labels.length ? el.labels[0].textContent : el.textContent;
  return {
    rendered: el.checkVisibility({visibilityProperty: true}),
    disabled: el.matches(":disabled"),
    x: box.x + window.scrollX, width: box.width, height: box.height,
    shownWidth: Math.max(0, right - left), shownHeight: Math.max(0, bottom - top),
    clipper, innerWidth: window.innerWidth,
    name: `<${el.tagName.toLowerCase()} name="${el.getAttribute("name") || ""}" ` +
      `id="${el.id}"> "${(label || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40)}"`,
  };
})"""


# A digest of the elements, their classes and the text: the same digest, the same layout.
_DOM_JS = """() => {
  const open = (el) => (el.open || el.classList.contains("show") ? "+" : "");
  const text = [...document.querySelectorAll("*")].map((el) => el.tagName + el.className + open(el))
    .join("|") + document.body.innerText;
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return `${text.length}:${hash}`;
}"""


# axe-core (npm, a dev dependency) checks accessibility on every page a test lands on. It is added
# with an init script, which the DevTools protocol runs outside the page's CSP: the portal's own
# policy stays as strict as in production.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
_AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `axe ${v.id} (${v.impact}): ${v.help} at ` +
      v.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", "));
}"""


# After a form post: the outcome the user must see where they land. The portal's own markers come
# first (the error summary, the messages); any other error shown is the fallback, so that a page
# without them is caught too. Returns where the first one is and whether it has the focus.
_OUTCOME_JS = """() => {
  const shown = (selector) =>
    [...document.querySelectorAll(selector)].find((el) => el.checkVisibility());
  const outcome = shown("[data-outcome=error]") || shown("[data-outcome=messages]") ||
    shown("[data-outcome]") || shown(".alert-danger, .invalid-feedback, .errorlist");
  if (!outcome) return null;
  const box = outcome.getBoundingClientRect();
  const active = document.activeElement;
  return {
    top: Math.round(box.top), bottom: Math.round(box.bottom), innerHeight: window.innerHeight,
    focused: outcome === active || outcome.contains(active),
    focus: active ? `<${active.tagName.toLowerCase()} id="${active.id}">` : "none",
    text: outcome.innerText.trim().replace(/\\s+/g, " ").slice(0, 80),
  };
}"""


def assert_outcome_in_view(page: Page) -> None:
    """After a form post, the first error or success message is inside the viewport (its top
    edge between the top and the bottom of the window) and has the focus."""
    outcome = page.evaluate(_OUTCOME_JS)
    if outcome is None:
        return
    where = f"{page.url} at {_viewport_width(page)} px, after a post"
    assert 0 <= outcome["top"] < outcome["innerHeight"], (
        f"{where}: the outcome «{outcome['text']}» is out of view: its top at {outcome['top']} px "
        f"of a {outcome['innerHeight']} px viewport"
    )
    assert outcome["focused"], (
        f"{where}: the outcome «{outcome['text']}» does not have the focus ({outcome['focus']})"
    )


_running: list[Page] = []  # the check in progress: its own trial clicks must not start another
# page -> digests of the documents that passed
_checked: weakref.WeakKeyDictionary[Page, set[tuple]] = weakref.WeakKeyDictionary()


def _viewport_width(page: Page) -> int:
    viewport = page.viewport_size
    assert viewport is not None  # the test browser contexts always set a viewport
    return viewport["width"]


def _digest(page: Page) -> tuple:
    return (page.url, _viewport_width(page), page.evaluate(_DOM_JS))


def assert_controls_usable(page: Page) -> None:
    """Every visible form control has a real box inside the viewport width and takes a real click,
    and axe-core finds no serious or critical accessibility violation.

    Checks that the document does not scroll sideways, that each rendered input (except hidden
    ones), select, textarea and button has a non-zero box that no clipping ancestor hides and that
    lies within the viewport width, and that Playwright's actionability check for a click
    (``click(trial=True)``: visible, stable, enabled, and no other element would receive the click)
    passes for each enabled one. Reads geometry only; sets no value and clicks nothing.
    """
    _running.append(page)
    try:
        _assert_controls_usable(page)
    finally:
        _running.pop()


def _assert_controls_usable(page: Page) -> None:
    page.wait_for_load_state("load")
    where = f"{page.url} at {_viewport_width(page)} px"
    problems = []
    overflow = page.evaluate(_OVERFLOW_JS)
    if overflow["scrollWidth"] > overflow["innerWidth"]:
        problems.append(
            f"the page scrolls sideways: {overflow['scrollWidth']} px wide in a "
            f"{overflow['innerWidth']} px viewport; sticking out: {overflow['sticking']}"
        )
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    controls = page.locator(CONTROLS)
    for index, control in enumerate(controls.evaluate_all(_CONTROLS_JS)):
        if control["rendered"]:
            problems.extend(_control_problems(controls.nth(index), control))
    page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)
    assert page.evaluate("typeof window.axe !== 'undefined'"), f"{where}: axe-core is not loaded"
    problems.extend(page.evaluate(_AXE_JS))
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)
    _checked.setdefault(page, set()).add(_digest(page))


def _control_problems(control: Locator, geometry: dict) -> list[str]:
    problems = []
    try:
        if geometry["disabled"]:
            control.scroll_into_view_if_needed(timeout=TRIAL_TIMEOUT)
        else:
            control.click(trial=True, timeout=TRIAL_TIMEOUT)  # scrolls it into view first
    except PlaywrightError as error:
        reason = error.message.splitlines()[0]
        log = [line.strip() for line in error.message.splitlines() if "intercepts" in line]
        problems.append(f"a click would not reach it ({reason}{'; ' + log[-1] if log else ''})")
    if geometry["shownWidth"] < 1 or geometry["shownHeight"] < 1:
        # Perhaps only scrolled out of sight in a scrolling box: measure again, now in view.
        geometry = control.evaluate_all(_CONTROLS_JS)[0]
    if geometry["width"] < 1 or geometry["height"] < 1:
        problems.append(f"{geometry['width']:.0f}x{geometry['height']:.0f} px")
    elif geometry["shownWidth"] < 1 or geometry["shownHeight"] < 1:
        problems.append(f"hidden by the overflow of {geometry['clipper']}")
    if geometry["x"] < -0.5 or geometry["x"] + geometry["width"] > geometry["innerWidth"] + 0.5:
        problems.append(
            f"outside the viewport width: {geometry['x']:.0f} to "
            f"{geometry['x'] + geometry['width']:.0f} px of {geometry['innerWidth']} px"
        )
    return [f"{geometry['name']}: {problem}" for problem in problems]


class LayoutWatch:
    """Runs ``assert_controls_usable`` once on every document the test lands on.

    The check runs lazily, just before the test's next action on the page or navigation away
    from it (so the page is checked as the user found it), and for the last page at the end.
    The ``framenavigated`` listener only raises a flag: Playwright's sync API must not be called
    from an event handler.
    """

    ACTIONS = {
        Locator: (
            "check", "clear", "click", "dblclick", "drag_to", "fill", "hover", "press",
            "press_sequentially", "select_option", "set_checked", "set_input_files", "tap",
            "type", "uncheck",
        ),
        Page: ("goto", "reload", "go_back", "go_forward"),
    }  # fmt: skip

    def __init__(self, page: Page):
        self.page = page
        self.pending = False
        self.posted = False  # the document the page holds came from a form post
        page.add_init_script(path=AXE)
        page.on("framenavigated", self._navigated)
        page.on("request", self._requested)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.pending = True

    def _requested(self, request) -> None:
        # A redirect after a post is still the post's outcome; any other navigation starts anew.
        main = request.is_navigation_request() and request.frame == self.page.main_frame
        if main and request.redirected_from is None:
            self.posted = request.method == "POST"

    def install(self, monkeypatch) -> None:
        for cls, names in self.ACTIONS.items():
            for name in names:
                monkeypatch.setattr(cls, name, self._wrap(getattr(cls, name)))

    def _wrap(self, action):
        watch = self

        def checked_first(target, *args, **kwargs):
            page = target if isinstance(target, Page) else target.page
            if page is watch.page:
                watch.check_pending()
            return action(target, *args, **kwargs)

        return checked_first

    def check_pending(self) -> None:
        if _running or not self.pending or self.page.is_closed():
            return
        self.pending = False
        self.page.wait_for_load_state("load")
        if self.posted:
            self.posted = False
            assert_outcome_in_view(self.page)
        if _digest(self.page) not in _checked.get(self.page, ()):  # an identical page passed
            assert_controls_usable(self.page)


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def open_menu(page: Page) -> None:
    """At narrow widths the main navigation is collapsed behind the toggler: open it."""
    # Wait for the stylesheet: before it applies, the toggler shows at every width.
    page.wait_for_load_state("load")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()


def log_out(page: Page) -> None:
    open_menu(page)
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/accounts/login/")  # logged out: do not cut the request short
