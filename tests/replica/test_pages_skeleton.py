"""The replica's pages have the skeleton of the real pages: the same tags with ids and classes, the same
tab and column labels, in the content area. Every difference is listed here with its reason.

The real pages are the saved sudrf pages in ../shared/reference/pages (tests.reference).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.reference import read_page
from tests.replica.synthetic import CAPTCHA_A, STANDARD, VINTAGE, make_case
from warduty.courts import load_registry
from warduty.replica import pages, pages_standard, pages_vintage
from warduty.replica.captcha import load_captcha_images
from warduty.replica.pages import CaseView, case_view

# Classes that carry data, not structure: which tab is open, and the anonymisation spans of act texts.
_DATA_CLASSES = re.compile(r"^(sel|nonsel|active|(FIO|Data|Address|Nomer|others)\d+)$")


def real_page(name: str) -> str:
    return read_page(name)


def skeleton(html: str, selector: str) -> set[str]:
    """``tag#id.class`` of every element of the content area that has an id or a structural class."""
    root = LexborHTMLParser(html).css_first(selector)
    assert root is not None, f"no {selector} on the page"
    found = set()
    for node in root.traverse(include_text=False):
        ident = node.attributes.get("id") or ""
        classes = sorted(
            c for c in (node.attributes.get("class") or "").split() if not _DATA_CLASSES.match(c)
        )
        if ident or classes:
            found.add(f"{node.tag}#{ident}.{'.'.join(classes)}")
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def labels(html: str, selector: str) -> tuple[list[str], list[str]]:
    """(tab labels, column and field labels) of the content area; act kinds in tab labels dropped."""
    root = LexborHTMLParser(html).css_first(selector)
    assert root is not None
    tabs = [
        re.sub(r" \(.*\)$", "", _squash(node.text()))
        for node in root.css("ul.tabs > li, ul#case_bookmarks > li")
    ]
    columns = [
        _squash(node.text(separator=" "))
        for node in root.css(
            "th, thead td, td[align='center'] > b, table.law-case-table.none-mobile thead td"
        )
    ]
    return tabs, list(dict.fromkeys(columns))


def sample_view() -> CaseView:
    case = make_case(
        STANDARD, 1, received=date(2024, 1, 10), decided=date(2024, 3, 1), published=date(2024, 3, 20)
    )
    return case_view(case, date(2024, 6, 1))


def compare(
    real: str, replica: str, selector: str, *, trimmed: set[str], added: set[str]
) -> tuple[set[str], set[str]]:
    real_skeleton, replica_skeleton = skeleton(real, selector), skeleton(replica, selector)
    assert real_skeleton - replica_skeleton == trimmed
    assert replica_skeleton - real_skeleton == added
    return real_skeleton, replica_skeleton


def test_standard_card_skeleton() -> None:
    court = load_registry().by_code(STANDARD)
    real, replica = real_page("leninsky_ufa_criminal.html"), pages_standard.card_page(court, sample_view())
    compare(
        real,
        replica,
        "#content",
        trimmed={
            "div#cont6.",  # ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ: no writs in the replica; its acts tab is cont5
            "li#tab6.",
            "div#.outputArea.publishInfo",  # publication footer of the act text
            "span#.tooltipShow",  # help tooltip on «Дата размещения»
        },
        added=set(),
    )
    real_tabs, real_columns = labels(real, "#content")
    replica_tabs, replica_columns = labels(replica, "#content")
    assert replica_tabs == [tab for tab in real_tabs if tab != "ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ"]
    writ_columns = {"ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ", "Дата выдачи", "Серия, номер бланка", "Номер электронного ИД"}
    writ_columns |= {"Статус", "Кому выдан / направлен"}
    assert replica_columns == [c for c in real_columns if c not in writ_columns]


def test_standard_listing_skeleton() -> None:
    court = load_registry().by_code(STANDARD)
    replica = pages_standard.listing_page(court, [sample_view()], page=1, total=30, link_params=(("a", "b"),))
    real = real_page("ksoyu_listing_acts.html")
    compare(real, replica, "#content", trimmed=set(), added=set())
    real_columns, replica_columns = labels(real, "#content")[1], labels(replica, "#content")[1]
    # The saved listing is a civil cassation docket; the criminal first-instance third column is
    # «Информация по делу» (defendants with their articles).
    assert replica_columns == [
        "Информация по делу" if c.startswith("Категория / Заявитель") else c for c in real_columns
    ]


def test_document_skeleton() -> None:
    court = load_registry().by_code(STANDARD)
    compare(
        real_page("ksoyu_act_doc.html"),
        pages_standard.document_page(court, sample_view(), 0),
        "#content",
        trimmed=set(),
        added=set(),
    )


def test_vintage_card_skeleton() -> None:
    court = load_registry().by_code(VINTAGE)
    real, replica = real_page("zavolgskiy_card.html"), pages_vintage.card_page(court, sample_view())
    compare(
        real,
        replica,
        "#search_results",
        trimmed={
            "li#tab_id_ClaimList.",  # «Требования»: civil claims, absent from criminal cards
            "div#tab_content_ClaimList.lawcase-tab-content",
            "div#.block-mobile.mobile-lawcase-item",  # mobile duplicates of each table
            "table#.law-case-table.non-list",  # the print-version copy of the events table
            "div#.lawcase-tab-content.none.printVersionBody",
            "a#.dashed.serviceLinks.showPrintVersion",
            "span#.printVersionTitle",
        },
        added={
            # Criminal cards: defendants with articles (DefList) and the act text (Document1).
            "li#tab_id_DefList.",
            "div#tab_content_DefList.lawcase-tab-content",
            "li#tab_id_Document1.",
            "div#tab_content_Document1.lawcase-tab-content",
        },
    )
    real_tabs, replica_tabs = labels(real, "#search_results")[0], labels(replica, "#search_results")[0]
    assert real_tabs == ["Дело", "Требования", "Движение дела", "Лица"]
    assert replica_tabs == ["Дело", "Движение дела", "Лица", "Стороны", "Судебный акт #1"]
    real_columns = labels(real, "#search_results")[1]
    replica_columns = labels(replica, "#search_results")[1]
    events_and_parties = [c for c in real_columns if c not in replica_columns]
    assert all("27.1" in c or c in ("Вид требования", "Решение", "Дата решения") for c in events_and_parties)


@pytest.mark.parametrize("engine", ["standard", "vintage"])
def test_captcha_form_skeleton(engine: str) -> None:
    court = load_registry().by_code(CAPTCHA_A)
    image = load_captcha_images()[0]
    replica = pages.search_form_page(
        court,
        engine,  # type: ignore[arg-type]
        captcha_png_base64=image.base64,
        captcha_id="x",
    )
    compare(
        real_page("sudrf_captcha_form.html"),
        replica,
        "#content",
        # The replica's form keeps only the fields it answers: no UID mask, no extra-parameters block.
        trimmed={
            "input#.booton",
            "input#.checkbox",
            "input#case__JUDICIAL_UIDSS.Lookup.masked",
            "span#.title",
            "td#.title",
        },
        added=set(),
    )


def test_throttle_page_is_the_real_box() -> None:
    court = load_registry().by_code(STANDARD)
    real_boxes = [
        box
        for box in LexborHTMLParser(real_page("ksoyu_temporarily_unavailable.html")).css("div.box")
        if "временно недоступна" in box.text()
    ]
    replica_box = LexborHTMLParser(pages.throttle_page(court)).css_first("div.box")
    assert len(real_boxes) == 1 and replica_box is not None
    assert _squash(real_boxes[0].text()) == _squash(replica_box.text())
    assert skeleton(real_boxes[0].html or "", "div.box") == skeleton(replica_box.html or "", "div.box")
