"""The one place page text becomes a tree, with a bound on how deep its elements nest.

lexbor's tree builder scans its stack of open elements on every start tag, so its time grows with
length times nesting depth: 200,000 nested ``div``s (2.2 MB) took over two minutes. Real court pages
nest at most 18 deep (the reference pages), so a page nested deeper than :data:`MAX_DEPTH` is refused
before it is parsed, after one linear scan of its tags.

The scan is skipped for a page with at most :data:`SCAN_ABOVE` ``<`` characters (so at most that many
tags): nested as deep as it can be, such a page parses in about 5 ms (2,048 nested ``div``s; ``section``
and ``footer``, the other worst elements measured, cost the same), while the scan itself costs a tenth
to a fifth of parsing a replica card or listing. Real court pages hold 1,200 to 3,400 ``<``, replica
pages 1,100 to 2,100; :func:`check_depth` still measures any page on its own (``warduty parse`` names
the reason with it).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from warduty.sudrf.errors import PageFormatError

MAX_DEPTH = 256
SCAN_ABOVE = 2048
_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)")  # a start or end tag's slash and name, as it is spelt
# Elements that hold no children, or whose end tag may be left out (the tree builder closes them
# itself): counting them would make plain, unclosed <p>s and <td>s look deep.
_NOT_NESTING = frozenset(
    {
        *("area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "keygen"),
        *("link", "meta", "param", "source", "track", "wbr"),
        *("p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup"),
        *("option", "optgroup", "rb", "rt", "rp"),
    }
)
# What a tag as spelt does to the depth (+1, -1 or 0), learnt once per spelling: a dictionary lookup per
# tag halves the scan's time against lower-casing and testing every name. Bounded, as a hostile page may
# spell a million different names.
_STEPS: dict[str, int] = {}
_MAX_SPELLINGS = 4096


def _step(token: str) -> int:
    name = token.removeprefix("/").lower()
    step = 0 if name in _NOT_NESTING else -1 if token[0] == "/" else 1
    if len(_STEPS) < _MAX_SPELLINGS:
        _STEPS[token] = step
    return step


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deep the elements of ``html`` nest, counted from its tags; stops counting past ``limit``.
    An upper bound: stray end tags and implied closes are not modelled beyond the list above."""
    depth = deepest = 0
    steps = _STEPS
    for token in _TAG.findall(html):
        step = steps.get(token)
        if step is None:
            step = _step(token)
        if step > 0:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif step and depth:
            depth -= 1
    return deepest


def check_depth(html: str) -> None:
    """Raise ``PageFormatError`` when ``html`` nests deeper than any court page (see the module doc)."""
    if nesting_depth(html) > MAX_DEPTH:
        raise PageFormatError(f"elements nest more than {MAX_DEPTH} deep; not a court page")


def html_tree(html: str) -> LexborHTMLParser:
    """The parsed tree of ``html``. Raises ``PageFormatError`` when it nests too deep to parse quickly."""
    if html.count("<") > SCAN_ABOVE:
        check_depth(html)
    return LexborHTMLParser(html)
