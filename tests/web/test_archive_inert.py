"""Archived court pages are shown with nothing left that loads (the CSP is the guarantee; this is hygiene)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warduty.web.security import inert_page

PAGE = (
    '<html><head><script src="/js/a.js"></script><SCRIPT>alert(1)</SCRIPT>'
    '<link rel="stylesheet" href="/themes/x.css"><base href="http://evil.example/"></head>'
    '<body background="/bg.png"><img src="/themes/mobile/img/banner_1.jpg" alt="banner">'
    '<img alt="x" srcset="/a.png 2x" src=/b.png><iframe src="http://evil.example"></iframe>'
    '<object data="/x.swf"></object><div id="cont1">ДЕЛО № 1-5/2024</div></body></html>'
)


def test_nothing_that_loads_is_left() -> None:
    inert = inert_page(PAGE)
    lowered = inert.lower()
    for needle in ("<script", "<link", "<iframe", "<object", "<base", " src=", " srcset=", " background="):
        assert needle not in lowered, needle
    assert 'data-archived-src="/themes/mobile/img/banner_1.jpg"' in inert
    assert "ДЕЛО № 1-5/2024" in inert and 'alt="banner"' in inert


def test_a_page_with_nothing_to_remove_is_unchanged() -> None:
    page = '<html><body><div id="content"><table><tr><td>a</td></tr></table></div></body></html>'
    assert inert_page(page) == page


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="<>/ =\"'scriptimgsrc", max_size=300))
def test_hostile_markup_ends_and_leaves_no_live_source(text: str) -> None:
    inert = inert_page(text)
    assert inert_page(inert) == inert


def test_large_hostile_input_is_handled() -> None:
    hostile = "<link " * 5_000 + "<img src " * 5_000 + "<script" * 5_000 + "<div>" * 50_000
    inert = inert_page(hostile)
    assert "<link" not in inert and "<script" not in inert and " src " in inert
