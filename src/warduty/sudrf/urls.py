"""URLs of the sudrf ``sud_delo`` module for both engines, with windows-1251 query encoding.

Built for the criminal first-instance docket (``delo_id=1540006``), which is where garrison courts list
the cases warduty counts. Parameter names follow the live sites (see docs/sudrf.md): the standard engine
uses ``delo_id``/``u1_case__…``/``U1_DEFENDANT__…``/``page``, the vintage engine ``_deloId``/``case__…``/
``parts__…``/``_page``. ``Submit`` is always sent (without it the sites answer with the search form) and
``vnkod`` is never sent empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, quote_plus, urlsplit

from warduty.courts import Court

CRIMINAL_FIRST_INSTANCE = "1540006"
SUBMIT = "Найти"
SCHEME = "https"
DOCKET = "criminal-1"  # how warduty names the docket in its own records


class UrlError(ValueError):
    """A URL cannot be built for this court (no search host) or read back."""


@dataclass(frozen=True, slots=True)
class Search:
    """One search of a court's criminal first-instance docket."""

    article: str | None = None  # "337" or "337 ч.5"
    received_from: date | None = None
    received_to: date | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    page: int = 1


def encode(params: list[tuple[str, str]]) -> str:
    """``a=1&b=…`` with values percent-encoded in windows-1251, as the court sites expect."""
    return "&".join(
        f"{name}={quote_plus(value, encoding='windows-1251', safe='.')}" for name, value in params
    )


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _base(court: Court) -> str:
    if not court.search_host:
        raise UrlError(f"court {court.code} has no sudrf case search")
    return f"{SCHEME}://{court.search_host}/modules.php?"


def _article_value(article: str) -> str:
    """«337 ч.5» is sent as «337 ч.5» (``337+%F7.5``); a bare number as itself."""
    return article.strip()


def search_url(court: Court, search: Search, *, captcha: tuple[str, str] | None = None) -> str:
    """The search URL; ``captcha`` is (answer, captcha id) for courts that ask for one."""
    if court.engine == "vintage":
        params = [
            ("name", "sud_delo"),
            ("srv_num", "1"),
            ("name_op", "r"),
            ("_deloId", CRIMINAL_FIRST_INSTANCE),
            ("case__case_type", "0"),
            ("_new", "0"),
            ("case__vnkod", court.code),
            ("case__num_build", "1"),
            ("process-type", f"{CRIMINAL_FIRST_INSTANCE}_0_0"),
            ("case__entry_date1d", _day(search.received_from)),
            ("case__entry_date2d", _day(search.received_to)),
            ("case__result_date1d", _day(search.decided_from)),
            ("case__result_date2d", _day(search.decided_to)),
            ("parts__law_articless", _article_value(search.article or "")),
        ]
        page_param = "_page"
    else:
        params = [
            ("name", "sud_delo"),
            ("srv_num", "1"),
            ("name_op", "r"),
            ("delo_id", CRIMINAL_FIRST_INSTANCE),
            ("case_type", "0"),
            ("new", "0"),
            ("delo_table", "u1_case"),
            ("u1_case__ENTRY_DATE1D", _day(search.received_from)),
            ("u1_case__ENTRY_DATE2D", _day(search.received_to)),
            ("u1_case__RESULT_DATE1D", _day(search.decided_from)),
            ("u1_case__RESULT_DATE2D", _day(search.decided_to)),
            ("U1_DEFENDANT__LAW_ARTICLESS", _article_value(search.article or "")),
        ]
        page_param = "page"
    params.append(("Submit", SUBMIT))
    if captcha is not None:
        params += [("captcha", captcha[0]), ("captchaid", captcha[1])]
    if search.page > 1:
        params.append((page_param, str(search.page)))
    return _base(court) + encode(params)


def card_url(court: Court, case_id: str, case_uid: str) -> str:
    if court.engine == "vintage":
        params = [
            ("name", "sud_delo"),
            ("srv_num", "1"),
            ("name_op", "case"),
            ("_id", case_id),
            ("_uid", case_uid),
            ("_deloId", CRIMINAL_FIRST_INSTANCE),
            ("_caseType", "0"),
            ("_new", "0"),
        ]
    else:
        params = [
            ("name", "sud_delo"),
            ("srv_num", "1"),
            ("name_op", "case"),
            ("case_id", case_id),
            ("case_uid", case_uid),
            ("delo_id", CRIMINAL_FIRST_INSTANCE),
        ]
    return _base(court) + encode(params)


def doc_url(court: Court, number: str) -> str:
    params = [
        ("name", "sud_delo"),
        ("srv_num", "1"),
        ("name_op", "doc"),
        ("number", number),
        ("delo_id", CRIMINAL_FIRST_INSTANCE),
        ("new", "0"),
        ("text_number", "1"),
    ]
    return _base(court) + encode(params)


def captcha_form_url(court: Court) -> str:
    return _base(court) + encode(
        [("name", "sud_delo"), ("name_op", "sf"), ("delo_id", CRIMINAL_FIRST_INSTANCE)]
    )


def page_kind(url: str) -> str:
    """What a ``modules.php`` URL asks for: ``search``, ``card``, ``doc``, ``form`` or ``other``."""
    query = dict(parse_qsl(urlsplit(url).query, encoding="windows-1251"))
    return {"r": "search", "case": "card", "doc": "doc", "sf": "form"}.get(query.get("name_op", ""), "other")


def query_params(url: str) -> dict[str, str]:
    """The query of a court URL, decoded from windows-1251."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True, encoding="windows-1251"))
