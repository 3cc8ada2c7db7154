"""What the browser tests measure on a page: axe-core violations (the npm package beside this
file, injected into the page), the position of the first KPI card, whether the sidebar is open,
and any part of the main column that is wider than the screen."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
#: every page of the app by URL path, with a view that fills it (district and commodity chosen)
PAGES = {
    "overview": "/", "map": "/ban-do", "trends": "/xu-huong", "district": "/huyen?unit=110",
    "commodity": "/cay-trong?commodity=macadamia", "data": "/du-lieu",
    "presentation": "/trinh-chieu", "method": "/phuong-phap",
}
SERIOUS = ("serious", "critical")


def axe_violations(page: object) -> list[dict]:
    """axe-core's violations on the page as it is (WCAG 2.x A/AA and best practices): a list of
    ``{id, impact, help, nodes: [target, …]}``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' '))}));
        }""")
    return list(result)


def serious(violations: list[dict]) -> list[dict]:
    """The serious and critical ones."""
    return [v for v in violations if v["impact"] in SERIOUS]


def wait_rendered(page: object, timeout_ms: int = 90_000) -> None:
    """Wait for the page's title and the end of the script run, then for late elements."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(1_500)  # type: ignore[attr-defined]


def first_kpi_top(page: object) -> float | None:
    """Top (CSS px, from the top of the page) of the first KPI card, None when there is none."""
    return page.evaluate(  # type: ignore[attr-defined]
        """() => { const m = document.querySelector('[data-testid="stMetric"]');
                   return m ? m.getBoundingClientRect().top + window.scrollY : null; }""")


def sidebar_open(page: object) -> bool:
    """True when the sidebar is shown (over or beside the page)."""
    return bool(page.evaluate(  # type: ignore[attr-defined]
        """() => { const s = document.querySelector('[data-testid="stSidebar"]');
                   if (!s) return false;
                   const r = s.getBoundingClientRect();
                   return s.getAttribute('data-collapsed') !== 'true' && r.right > 10; }"""))


def overflowing(page: object) -> list[str]:
    """Elements of the main column whose content is wider than their box and can be scrolled
    sideways (what a phone reader would have to swipe), as short descriptions (ARIA role first,
    ``-`` for none; ``document`` when the whole page is wider than the screen)."""
    return list(page.evaluate(  # type: ignore[attr-defined]
        """() => { const out = [];
            for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
                if (el.scrollWidth > el.clientWidth + 2 && el.clientWidth > 0) {
                    const ov = getComputedStyle(el).overflowX;
                    if (ov === 'auto' || ov === 'scroll')
                        out.push((el.getAttribute('role') || '-') + ' ' + el.tagName + '.'
                                 + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
                }
            }
            const doc = document.documentElement;
            if (doc.scrollWidth > doc.clientWidth + 2) out.push('document ' + doc.scrollWidth);
            return out; }"""))
