"""A person with a keyboard only: Tab from stop to stop, and at every stop the checks of WCAG 2.4.7 (focus visible:
the focused look differs from the unfocused one in outline or box-shadow), 2.4.11 (focus not obscured: the element
inside the viewport and on top at its centre) and 2.5.8 (target size: 24 by 24 CSS px, or the spacing or inline
exception). The page is only read and focus put back where it was; every action is a key press."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STOP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => { const s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow}; };
  const focused = look();
  el.blur();
  const plain = look();
  el.focus({preventScroll: true});
  const r = el.getBoundingClientRect();
  const onTop = [...el.getClientRects()].some(box => {  // each line of a link that wraps is a box of its own
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return !!hit && (hit === el || el.contains(hit)); });
  const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`
    + ` "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
  return {name, focused, plain, rect: [r.left, r.top, r.width, r.height],
          viewport: [innerWidth, innerHeight], onTop,
          inSentence: getComputedStyle(el).display === 'inline' && el.tagName === 'A'
            && el.parentElement.innerText.trim().length > el.innerText.trim().length + 1};
}"""

TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .map(el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""

MINIMUM = 24.0


def _visible_focus(stop: dict[str, Any]) -> str | None:
    focused, plain = stop["focused"], stop["plain"]
    if focused == plain:
        return "focus looks the same as no focus"
    outlined = focused["outline"] != "none" and "rgba(0, 0, 0, 0)" not in focused["outline"]
    return None if focused["shadow"] != "none" or outlined else f"no visible focus indicator ({focused})"


def _not_obscured(stop: dict[str, Any]) -> str | None:
    left, top, width, height = stop["rect"]
    view_width, view_height = stop["viewport"]
    inside = left >= -1 and top >= -1 and left + width <= view_width + 1 and top + height <= view_height + 1
    if not inside and not (height > view_height and top <= 1):  # taller than the screen: its top is shown
        return f"focused element outside the viewport ({stop['rect']} in {stop['viewport']})"
    return None if stop["onTop"] else "something covers the focused element"


def _circle_clear(centre: tuple[float, float], rect: list[float]) -> bool:
    """Does a 24 px circle at `centre` stay clear of the rectangle `rect`?"""
    left, top, width, height = rect
    nearest_x = min(max(centre[0], left), left + width)
    nearest_y = min(max(centre[1], top), top + height)
    return (centre[0] - nearest_x) ** 2 + (centre[1] - nearest_y) ** 2 >= (MINIMUM / 2) ** 2


def _target_size(stop: dict[str, Any], targets: list[list[float]]) -> str | None:
    left, top, width, height = stop["rect"]
    if width >= MINIMUM - 0.5 and height >= MINIMUM - 0.5:
        return None
    centre = (left + width / 2, top + height / 2)
    others = [rect for rect in targets if rect != stop["rect"]]
    if all(_circle_clear(centre, rect) for rect in others):
        return None  # the spacing exception
    if stop["inSentence"]:
        return None  # the inline exception: a link in a sentence
    return f"target {width:.0f}x{height:.0f} px, too close to another"


@dataclass
class Walk:
    """One page's keyboard walk: every stop seen and every problem found."""

    page: Any
    stops: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def check_here(self) -> dict[str, Any] | None:
        stop: dict[str, Any] | None = self.page.evaluate(STOP)
        if stop is None:
            return None
        self.stops.append(stop["name"])
        width = stop["viewport"][0]
        targets = self.page.evaluate(TARGETS)
        for check in (_visible_focus(stop), _not_obscured(stop), _target_size(stop, targets)):
            if check:
                self.problems.append(f"{stop['name']} at {width} px: {check}")
        return stop

    def tab(self, key: str = "Tab") -> dict[str, Any] | None:
        self.page.keyboard.press(key)
        return self.check_here()

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until the element matching `selector` has focus (checking each stop on the way)."""
        for _ in range(limit):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
            self.tab()
        raise AssertionError(f"Tab never reached {selector}; stops: {self.stops[-10:]}")

    def walk_all(self, limit: int = 120) -> int:
        """Tab from the top of the page to its end; the number of stops."""
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for seen in range(limit):
            if self.tab() is None:
                return seen
        raise AssertionError("focus never left the page: a keyboard trap?")

    def press(self, key: str, *, navigates: bool = False) -> None:
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)


ERRORS = """() => {
  const summary = document.querySelector('.error-summary');
  if (!summary) return null;
  const links = [...summary.querySelectorAll('a[href^="#"]')].map(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (!target) return {text: a.innerText, problem: 'links to nothing'};
    const group = target.closest('fieldset') || target;
    const ids = ((target.getAttribute('aria-describedby') || '') + ' '
                 + (group.getAttribute('aria-describedby') || '')).trim().split(/\\s+/).filter(Boolean);
    const message = ids.map(id => document.getElementById(id)).find(m => m && m.classList.contains('error-message'));
    const container = target.closest('.field');
    return {text: a.innerText.trim(), invalid: target.getAttribute('aria-invalid'),
            message: message ? message.innerText.replace(/^Error:\\s*/, '').trim() : null,
            adjacent: !!message && !!container && container.contains(message)
              && !!(message.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)};
  });
  return {focused: document.activeElement === summary, alert: !!summary.querySelector('[role=alert]'),
          title: document.title, links};
}"""


def error_problems(page: Any) -> list[str]:
    """The GOV.UK error pattern, checked: a summary at the top that has focus and is announced (role=alert), the
    title starting "Error:", and each summary link leading to an invalid field whose message sits beside it."""
    found = page.evaluate(ERRORS)
    if found is None:
        return ["no error summary"]
    problems = [] if found["focused"] else ["the error summary does not have focus"]
    problems += [] if found["alert"] else ["the error summary is not announced (no role=alert)"]
    problems += [] if found["title"].startswith("Error: ") else [f"title {found['title']!r} does not say Error:"]
    for link in found["links"]:
        if link.get("problem"):
            problems.append(f"{link['text']}: {link['problem']}")
        elif link["invalid"] != "true" or link["message"] != link["text"] or not link["adjacent"]:
            problems.append(f"{link['text']}: field not marked invalid, or its message is not beside it ({link})")
    return problems
