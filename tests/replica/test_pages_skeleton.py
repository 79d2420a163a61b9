"""Every page the replica serves is cut from a real saved page of its kind: the DOM skeleton of its content
block (the set of ``tag#id.class`` paths from the block down to each element) matches the real page's with
a Jaccard similarity of at least 0.9.

The real pages are the saved sudrf pages in ../shared/reference/pages (tests.reference). Where no real
page of a kind was saved (a vintage court's empty result, search form or ``name_op=doc`` page), the
replica follows the nearest real one, and the comparison is with that page. ``python -m
tests.replica.test_pages_skeleton`` prints the table that docs/replica.md shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tests.reference import read_page, real_page_names, real_page_path
from tests.replica.synthetic import CAPTCHA_A, STANDARD, VINTAGE, make_case
from warduty.courts import load_registry
from warduty.replica import pages, pages_form, pages_standard, pages_vintage
from warduty.replica.model import ReplicaAct, ReplicaCase
from warduty.replica.pages import ACT_LAYOUTS, CaseView, case_view
from warduty.replica.texts import verdict_text

THRESHOLD = 0.9
AS_OF = date(2024, 6, 1)
# Classes that carry data, not structure: which tab is open, and the anonymisation spans of act texts.
_DATA_CLASSES = re.compile(r"^(sel|nonsel|active|(FIO|Data|Address|Nomer|others)\d+)$")
_SKIPPED = {"script", "style", "noscript", "link", "meta", "-comment"}
LINK = (("name", "sud_delo"), ("name_op", "r"), ("delo_id", "1540006"), ("Submit", "Найти"))


def label(node: LexborNode) -> str:
    ident = node.attributes.get("id") or ""
    classes = sorted(c for c in (node.attributes.get("class") or "").split() if not _DATA_CLASSES.match(c))
    return node.tag + (f"#{ident}" if ident else "") + ("." + ".".join(classes) if classes else "")


def skeleton(html: str, block: str) -> set[str]:
    """``tag#id.class`` paths of every element under the first ``block`` (scripts and styles left out)."""
    root = LexborHTMLParser(html).css_first(block)
    assert root is not None, f"no {block} on the page"
    found: set[str] = set()

    def walk(node: LexborNode, prefix: str) -> None:
        for child in node.iter(include_text=False):
            if child.tag in _SKIPPED:
                continue
            path = f"{prefix}>{label(child)}"
            found.add(path)
            walk(child, path)

    walk(root, block)
    return found


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


# --- the synthetic cases the pages are rendered for ---------------------------------------------------


def _with_text(case: ReplicaCase, *, layout: str, kind: str = "Приговор") -> ReplicaCase:
    """``case`` with one act whose text the replica's own writer produced, in the given layout."""
    from warduty.replica.drafts import PersonDraft

    persons = [
        PersonDraft(
            name=p.name,
            articles_raw=p.articles_raw,
            articles=p.articles,
            numbers=frozenset(ref.article for ref in p.articles),
            result=p.result,
            punishment=p.punishment,
            service="mobilised",
        )
        for p in case.persons
    ]
    assert case.decided is not None
    text = verdict_text(
        court_name="Энский гарнизонный военный суд",
        city="Энск",
        case_number=case.case_number,
        judge_genitive="Петрова П.П.",
        judge="Петров П.П.",
        decided=case.decided,
        persons=persons,
        seed=case.site_id,
    )
    doc_id = next(n for n in range(900000, 900010) if ACT_LAYOUTS[n % len(ACT_LAYOUTS)] == layout)
    act = ReplicaAct(doc_id, kind, case.decided, case.decided, text)
    return replace(case, acts=(act,))


def decided_view(code: str, n: int, *, layout: str = "line_breaks") -> CaseView:
    case = make_case(
        code, n, received=date(2024, 1, 10), decided=date(2024, 3, 1), published=date(2024, 3, 20)
    )
    # A dismissal with its ground on a second line, as on the real first-instance card.
    result = "Уголовное дело ПРЕКРАЩЕНО\nназначена мера уголовно-правового характера - СУДЕБНЫЙ ШТРАФ"
    case = replace(case, result=result, persons=tuple(replace(p, result=result) for p in case.persons))
    return case_view(_with_text(case, layout=layout, kind="Постановление"), AS_OF)


def listing_views(code: str) -> list[CaseView]:
    decided = make_case(
        code, 1, received=date(2024, 1, 10), decided=date(2024, 3, 1), published=date(2024, 3, 20)
    )
    pending = make_case(code, 2, received=date(2024, 2, 10), articles=(("332", "2.1"),))
    return [case_view(decided, AS_OF), case_view(pending, AS_OF)]


def _court(code: str):  # type: ignore[no-untyped-def]
    return load_registry().by_code(code)


def captcha_form(engine: str) -> str:
    return pages_form.search_form_page(
        _court(CAPTCHA_A),
        engine,  # type: ignore[arg-type]
        captcha_png_base64="iVBORw0KGgo=",
        captcha_id="x",
    )


# --- the table: page kind x engine -> the real page it is cut from ------------------------------------


@dataclass(frozen=True)
class Kind:
    kind: str
    engine: str
    real: str
    block: str
    render: Callable[[], str]
    note: str = ""
    # Paths holding one of these ids are left out on both sides: panels one docket has and the other
    # lacks (a civil card's claims, a criminal card's defendants), named with their reason in ``note``.
    docket_ids: tuple[str, ...] = field(default=())


STANDARD_BLOCK = "#content"
VINTAGE_BLOCK = "div.round-border-container"
CIVIL_VS_CRIMINAL = ("ClaimList", "DefList")

KINDS = (
    Kind(
        "result list",
        "standard",
        "ksoyu_listing_acts.html",
        STANDARD_BLOCK,
        lambda: pages_standard.listing_page(
            _court(STANDARD), listing_views(STANDARD), page=1, total=30, link_params=LINK
        ),
    ),
    Kind(
        "result list",
        "vintage",
        "samara_kas_appeal_uid_results.html",
        VINTAGE_BLOCK,
        lambda: pages_vintage.listing_page(
            _court(VINTAGE), listing_views(VINTAGE), page=1, total=30, link_params=LINK
        ),
    ),
    Kind(
        "empty result",
        "standard",
        "ksoyu_listing_bad_new.html",
        STANDARD_BLOCK,
        lambda: pages.no_data_page(_court(STANDARD), "standard"),
    ),
    Kind(
        "empty result",
        "vintage",
        "ksoyu_listing_bad_new.html",
        STANDARD_BLOCK,
        lambda: pages.no_data_page(_court(VINTAGE), "vintage"),
        note="no vintage empty result saved: the standard block inside the vintage frame",
    ),
    Kind(
        "card",
        "standard",
        "leninsky_ufa_criminal.html",
        STANDARD_BLOCK,
        lambda: pages_standard.card_page(_court(STANDARD), decided_view(STANDARD, 1)),
    ),
    Kind(
        "card",
        "vintage",
        "zavolgskiy_card.html",
        VINTAGE_BLOCK,
        lambda: pages_vintage.card_page(_court(VINTAGE), listing_views(VINTAGE)[1]),
        note="civil «Требования» (ClaimList) and criminal «Лица» (DefList) panels left out",
        docket_ids=CIVIL_VS_CRIMINAL,
    ),
    Kind(
        "act page",
        "standard",
        "ksoyu_act_doc.html",
        STANDARD_BLOCK,
        lambda: pages_standard.document_page(
            _court(STANDARD), decided_view(STANDARD, 3, layout="date_table"), 0
        ),
    ),
    Kind(
        "act page (card, _doc=1)",
        "vintage",
        "samara_kas_appeal_card.html",
        VINTAGE_BLOCK,
        lambda: pages_vintage.card_page(_court(VINTAGE), decided_view(VINTAGE, 4, layout="paragraphs")),
        note="the vintage list links acts to the card; DefList left out as above",
        docket_ids=CIVIL_VS_CRIMINAL,
    ),
    Kind(
        "act page (name_op=doc)",
        "vintage",
        "ksoyu_act_doc.html",
        STANDARD_BLOCK,
        lambda: pages_standard.document_page(
            _court(VINTAGE), decided_view(VINTAGE, 5, layout="date_table"), 0, "vintage"
        ),
        note="no vintage print view saved: the standard one",
    ),
    Kind(
        "captcha form",
        "standard",
        "sudrf_captcha_form.html",
        STANDARD_BLOCK,
        lambda: captcha_form("standard"),
    ),
    Kind(
        "captcha form",
        "vintage",
        "sudrf_captcha_form.html",
        STANDARD_BLOCK,
        lambda: captcha_form("vintage"),
        note="no vintage form saved: the standard form with vintage field names",
    ),
    Kind(
        "wrong captcha",
        "standard",
        "ksoyu_listing_captcha_gate.html",
        STANDARD_BLOCK,
        lambda: pages_form.wrong_captcha_page(_court(CAPTCHA_A), "standard"),
    ),
    Kind(
        "wrong captcha",
        "vintage",
        "ksoyu_listing_captcha_gate.html",
        STANDARD_BLOCK,
        lambda: pages_form.wrong_captcha_page(_court(CAPTCHA_A), "vintage"),
        note="no vintage page saved: the standard block",
    ),
    Kind(
        "throttle page",
        "both",
        "ksoyu_temporarily_unavailable.html",
        "body",
        lambda: pages.throttle_page(_court(STANDARD)),
        note="the whole page: site chrome with the box holding only the message",
    ),
)


def _kept(paths: set[str], docket_ids: tuple[str, ...]) -> set[str]:
    return {p for p in paths if not any(f"_{ident}" in p for ident in docket_ids)}


def measure(kind: Kind, *, all_paths: bool = False) -> tuple[float, set[str], set[str]]:
    """(Jaccard, paths only the real page has, paths only the replica has)."""
    left_out = () if all_paths else kind.docket_ids
    real = _kept(skeleton(read_page(kind.real), kind.block), left_out)
    replica = _kept(skeleton(kind.render(), kind.block), left_out)
    return jaccard(real, replica), real - replica, replica - real


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: f"{k.kind}-{k.engine}")
def test_page_kind_matches_its_real_page(kind: Kind) -> None:
    similarity, missing, extra = measure(kind)
    listing = "\n".join(
        [*(f"  only real:    {p}" for p in sorted(missing)), *(f"  only replica: {p}" for p in sorted(extra))]
    )
    assert similarity >= THRESHOLD, (
        f"{kind.kind} ({kind.engine}) vs {kind.real} under {kind.block}: Jaccard {similarity:.3f} < "
        f"{THRESHOLD}\n{listing}"
    )


def test_skeleton_sees_a_changed_layout() -> None:
    """The measure is not blind: the old replica list (``table#resultTable``) is far from the real one."""
    real = skeleton(read_page("samara_kas_appeal_uid_results.html"), VINTAGE_BLOCK)
    page = pages_vintage.listing_page(
        _court(VINTAGE), listing_views(VINTAGE), page=1, total=30, link_params=LINK
    )
    old_style = page.replace(
        '<div id="resultTable"><table class="law-case-table line-hover">',
        '<div><table id="resultTable" class="law-case-table">',
    )
    assert (
        jaccard(real, skeleton(old_style, VINTAGE_BLOCK))
        < THRESHOLD
        <= jaccard(real, skeleton(page, VINTAGE_BLOCK))
    )


def test_throttle_box_holds_only_the_real_message() -> None:
    def box_text(html: str) -> str:
        boxes = [b for b in LexborHTMLParser(html).css("div.box") if "временно недоступна" in b.text()]
        assert len(boxes) == 1
        return re.sub(r"\s+", " ", boxes[0].text().replace("\xa0", " ")).strip()

    assert box_text(pages.throttle_page(_court(STANDARD))) == box_text(
        read_page("ksoyu_temporarily_unavailable.html")
    )


def chrome_skeleton(html: str) -> set[str]:
    """Paths of the site around the module: ``body`` without ``div#modSdpContent`` and the box's content."""
    tree = LexborHTMLParser(html)
    for module in tree.css("#modSdpContent"):
        module.decompose()
    for box in tree.css("div.box.box_common"):
        for child in list(box.iter(include_text=True)):
            if "box__head" not in (child.attributes.get("class") or ""):
                child.decompose()
    return skeleton(tree.html or "", "body")


def test_site_chrome_is_as_close_to_the_real_sites_as_they_are_to_one_another() -> None:
    """The courts' sites differ in their notices and banners; the replica's site must be one of them."""
    names = real_page_names() or [str(real_page_path("leninsky_ufa_criminal.html"))]  # skips without them
    real = [chrome_skeleton(read_page(name)) for name in names]
    ours = chrome_skeleton(KINDS[0].render())
    to_ours = sorted(jaccard(ours, other) for other in real)
    between = sorted(jaccard(a, b) for i, a in enumerate(real) for b in real[i + 1 :])
    assert to_ours[len(to_ours) // 2] >= between[len(between) // 2], (to_ours, between[len(between) // 2])
    assert to_ours[0] >= between[0]


def _squash(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\xa0", " ")).strip()


def labels(html: str, block: str) -> tuple[list[str], list[str]]:
    """(tab labels, column and field labels) of the content block; act kinds in tab labels dropped."""
    root = LexborHTMLParser(html).css_first(block)
    assert root is not None
    tabs = [
        re.sub(r" \(.*\)$", "", _squash(node.text()))
        for node in root.css("ul.tabs > li, ul#case_bookmarks > li")
    ]
    cells = root.css("th, td[align='center'] > b, #resultTable thead td, table.none-mobile thead td")
    return tabs, list(dict.fromkeys(_squash(node.text(separator=" ")) for node in cells))


def test_standard_card_has_the_real_tabs_and_columns() -> None:
    real = read_page("leninsky_ufa_criminal.html")
    replica = pages_standard.card_page(_court(STANDARD), decided_view(STANDARD, 1))
    assert labels(replica, STANDARD_BLOCK) == labels(real, STANDARD_BLOCK)


def test_lists_have_the_real_columns() -> None:
    real = labels(read_page("ksoyu_listing_acts.html"), STANDARD_BLOCK)[1]
    page = pages_standard.listing_page(
        _court(STANDARD), listing_views(STANDARD), page=1, total=3, link_params=LINK
    )
    # The saved list is a civil cassation docket's; the criminal first-instance third column is
    # «Информация по делу» (defendants with their articles), as on the vintage list.
    civil = "Категория / Заявитель"
    assert labels(page, STANDARD_BLOCK)[1] == [
        "Информация по делу" if c.startswith(civil) else c for c in real
    ]
    vintage = pages_vintage.listing_page(
        _court(VINTAGE), listing_views(VINTAGE), page=1, total=3, link_params=LINK
    )
    real_vintage = read_page("samara_kas_appeal_uid_results.html")
    assert labels(vintage, VINTAGE_BLOCK)[1] == labels(real_vintage, VINTAGE_BLOCK)[1]


def test_vintage_card_columns_are_real_ones() -> None:
    replica = labels(pages_vintage.card_page(_court(VINTAGE), listing_views(VINTAGE)[0]), VINTAGE_BLOCK)
    real = labels(read_page("zavolgskiy_card.html"), VINTAGE_BLOCK)
    assert real[0] == ["Дело", "Требования", "Движение дела", "Лица"]
    assert replica[0] == ["Дело", "Движение дела", "Лица", "Стороны", "Судебный акт #1"]
    defendants = set(pages_vintage.DEFENDANT_COLUMNS)  # the criminal panel, from the standard card
    assert set(replica[1]) - defendants <= set(real[1])


def table() -> str:
    """The markdown table of docs/replica.md, measured now."""
    rows = [
        "| page kind | engine | real page it is cut from | block | Jaccard | all paths | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        similarity = measure(kind)[0]
        raw = measure(kind, all_paths=True)[0]
        rows.append(
            f"| {kind.kind} | {kind.engine} | {kind.real} | `{kind.block}` | {similarity:.3f} | {raw:.3f} | "
            f"{kind.note} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
