"""The print view of a judicial act (``name_op=doc``): the text sits in ``div#content``."""

from __future__ import annotations

from warduty.sudrf.card import require_complete
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.markup import html_tree
from warduty.sudrf.records import Document
from warduty.sudrf.tables import cell_text
from warduty.sudrf.text import or_none, squash


def parse_document(html: str) -> Document:
    """The act's text, heading and the link back to its card. Raises ``PageFormatError`` if absent."""
    require_complete(html)
    tree = html_tree(html)
    content = tree.css_first("div#content")
    if content is None:
        raise PageFormatError("act print view has no div#content")
    title_node = content.css_first("div.title")
    title = None
    card_url = None
    for link in content.css("a"):
        href = link.attributes.get("href") or ""
        if "name_op=case" in href:
            card_url = href
            parent = link.parent
            if parent is not None and parent.tag == "div" and squash(parent.text()) == squash(link.text()):
                parent.decompose()
            else:
                link.decompose()
            break
    if title_node is not None:
        for script in title_node.css("script"):
            script.decompose()
        title = or_none(squash(title_node.text()))
        title_node.decompose()
    for node in content.css("#doccont, script, style"):
        node.decompose()
    text = cell_text(content)
    if not text:
        raise PageFormatError("act print view has an empty div#content")
    return Document(text=text, title=title, card_url=card_url)
