"""The court sites as a function from a request (host, path, query) to a page, without HTTP.

Routing is by host: ``modules.php`` lives on the dash form (``gvs--spb.sudrf.ru``); the dotted form
redirects there; an unknown host gets «Указанный сервер СДП не найден». Searches honour the article,
receipt-, decision- and publication-date filters; rows are sorted by receipt date, then by the case
number's year and sequence. Malformed queries get the silent «Данных по запросу не обнаружено».
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from warduty.courts import Court, load_registry, normalize_host
from warduty.replica import pages, pages_form, pages_standard, pages_vintage
from warduty.replica.captcha import CaptchaBook, CaptchaVerdict
from warduty.replica.model import ReplicaCase, visible_cases
from warduty.replica.pages import CaseView, case_view
from warduty.replica.query import (
    ArticleFilter,
    CardRequest,
    DocRequest,
    Engine,
    QueryError,
    SearchCriteria,
    SearchFormRequest,
    SearchRequest,
    parse_modules_request,
    query_pairs,
)

log = logging.getLogger(__name__)
SEARCH_CACHE_SIZE = 256


class PopulationLike(Protocol):
    """What the server needs of a population: the cases of one court (all of them, any date)."""

    def cases_for(self, code: str) -> Sequence[ReplicaCase]: ...


@dataclass(frozen=True, slots=True)
class Page:
    """A page before transport: status, HTML text (encoded by the server), its kind for the stats."""

    status: int
    body: str
    kind: str
    court: Court | None = None
    location: str | None = None
    malformed: str | None = None  # why the query was refused, when it was


_NUMBER = re.compile(r"(\d+)/(\d{4})")


def case_sort_key(case: ReplicaCase) -> tuple[date, int, int, str]:
    match = _NUMBER.search(case.case_number)
    year, seq = (int(match.group(2)), int(match.group(1))) if match else (0, 0)
    return (case.received, year, seq, case.case_number)


def article_matches(wanted: ArticleFilter, view: CaseView) -> bool:
    return any(
        ref.article == wanted.article
        and (wanted.part is None or ref.part == wanted.part)
        and (wanted.point is None or ref.point == wanted.point)
        for person in view.case.persons
        for ref in person.articles
    )


def matches(view: CaseView, criteria: SearchCriteria) -> bool:
    if criteria.article is not None and not article_matches(criteria.article, view):
        return False
    if not criteria.received.contains(view.case.received):
        return False
    if not criteria.decided.open and not criteria.decided.contains(view.decided):
        return False
    return criteria.published.open or any(criteria.published.contains(act.published) for act in view.acts)


class CourtSite:
    """One court's site on ``as_of``: visible cases in listing order, cards and documents by id."""

    def __init__(self, court: Court, cases: Iterable[ReplicaCase], as_of: date) -> None:
        self.court = court
        self.engine: Engine = court.engine or "standard"
        visible = sorted(visible_cases(cases, as_of), key=case_sort_key)
        self.views = tuple(case_view(case, as_of) for case in visible)
        self.by_site_id = {view.case.site_id: view for view in self.views}
        self.by_doc_id = {act.doc_id: (view, n) for view in self.views for n, act in enumerate(view.acts)}
        # A search by article looks only at the cases that name it (in listing order), not at all of them.
        by_article: dict[str, list[CaseView]] = {}
        for view in self.views:
            for article in view.case.article_numbers:
                by_article.setdefault(article, []).append(view)
        self._by_article = {article: tuple(found) for article, found in by_article.items()}
        self._searches: OrderedDict[SearchCriteria, tuple[CaseView, ...]] = OrderedDict()

    def search(self, criteria: SearchCriteria) -> tuple[CaseView, ...]:
        found = self._searches.get(criteria)
        if found is None:
            wanted = criteria.article
            candidates = self.views if wanted is None else self._by_article.get(wanted.article, ())
            found = tuple(view for view in candidates if matches(view, criteria))
            self._searches[criteria] = found
            if len(self._searches) > SEARCH_CACHE_SIZE:
                self._searches.popitem(last=False)
        else:
            self._searches.move_to_end(criteria)
        return found


class ReplicaSite:
    """All court sites of a population on one date."""

    def __init__(
        self,
        population: PopulationLike,
        *,
        as_of: date,
        courts: Iterable[Court] | None = None,
        captcha: CaptchaBook | None = None,
        redirect_scheme: str = "http",
    ) -> None:
        self.population = population
        self.as_of = as_of
        chosen = [c for c in (courts if courts is not None else load_registry()) if c.search_host]
        self._by_dash = {c.search_host: c for c in chosen if c.search_host}
        self._by_dotted = {c.host: c for c in chosen if c.host}
        self._sites: dict[str, CourtSite] = {}
        self.captcha = captcha if captcha is not None else CaptchaBook()
        self.redirect_scheme = redirect_scheme

    def court_for_host(self, host: str) -> tuple[Court | None, bool]:
        """The court a Host header names, and whether it is the dash (``modules.php``) form."""
        name = host.strip().lower().split(":", 1)[0].rstrip(".")
        if name in self._by_dash:
            return self._by_dash[name], True
        dotted = normalize_host(name)
        court = self._by_dotted.get(dotted)
        return court, False

    def site(self, court: Court) -> CourtSite:
        site = self._sites.get(court.code)
        if site is None:
            try:
                cases: Sequence[ReplicaCase] = self.population.cases_for(court.code)
            except LookupError:  # a court the population does not know has no cases
                cases = ()
            site = CourtSite(court, cases, self.as_of)
            self._sites[court.code] = site
        return site

    def answer(self, host: str, path: str, query: bytes) -> Page:
        court, dash = self.court_for_host(host)
        if court is None:
            return Page(404, pages.unknown_server_page(host), "unknown_host")
        if path != "/modules.php":
            return Page(404, pages.unknown_server_page(host), "not_found", court)
        if not dash:
            target = f"{path}?{query.decode('latin-1')}" if query else path
            location = f"{self.redirect_scheme}://{court.search_host}{target}"
            return Page(302, "", "redirect", court, location=location)
        return self._modules(court, query)

    def _modules(self, court: Court, query: bytes) -> Page:
        site = self.site(court)
        try:
            request = parse_modules_request(query_pairs(query), site.engine, court.code)
        except QueryError as exc:
            return Page(200, pages.no_data_page(court, site.engine), "no_data", court, malformed=exc.reason)
        if isinstance(request, SearchFormRequest):
            return self._form(court, site.engine)
        if isinstance(request, SearchRequest):
            return self._search(site, request)
        if isinstance(request, CardRequest):
            return self._card(site, request)
        return self._document(site, request)

    def _form(self, court: Court, engine: Engine) -> Page:
        if not court.captcha:
            return Page(200, pages_form.search_form_page(court, engine), "form", court)
        captcha_id, image = self.captcha.issue(court.seat_region_ru)
        body = pages_form.search_form_page(
            court, engine, captcha_png_base64=image.base64, captcha_id=captcha_id
        )
        return Page(200, body, "captcha", court)

    def _search(self, site: CourtSite, request: SearchRequest) -> Page:
        court = site.court
        if court.captcha:
            verdict = self.captcha.check(court.seat_region_ru, request.captcha, request.captcha_id)
            if verdict in (CaptchaVerdict.WRONG, CaptchaVerdict.UNKNOWN):
                return Page(200, pages_form.wrong_captcha_page(court, site.engine), "captcha", court)
            if verdict is not CaptchaVerdict.OK:  # none sent, or expired: the form again, silently
                return self._form(court, site.engine)
        found = site.search(request.criteria)
        renderer = pages_vintage if site.engine == "vintage" else pages_standard
        size = renderer.PAGE_SIZE
        start = (request.page - 1) * size
        if not found or start >= len(found):
            return Page(200, pages.no_data_page(court, site.engine), "no_data", court)
        body = renderer.listing_page(
            court,
            found[start : start + size],
            page=request.page,
            total=len(found),
            link_params=request.link_params,
        )
        return Page(200, body, "listing", court)

    def _card(self, site: CourtSite, request: CardRequest) -> Page:
        view = site.by_site_id.get(request.site_id)
        if view is None or (request.site_uid is not None and request.site_uid != view.case.site_uid):
            return Page(200, pages.no_data_page(site.court, site.engine), "no_data", site.court)
        renderer = pages_vintage if request.engine == "vintage" else pages_standard
        return Page(200, renderer.card_page(site.court, view), "card", site.court)

    def _document(self, site: CourtSite, request: DocRequest) -> Page:
        found = site.by_doc_id.get(request.doc_id)
        if found is None or request.text_number != 1:
            return Page(200, pages.empty_document_page(site.court), "empty_document", site.court)
        view, index = found
        body = pages_standard.document_page(site.court, view, index, site.engine)
        return Page(200, body, "document", site.court)
