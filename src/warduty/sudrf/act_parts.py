"""The parts of a judicial act's text: its kind (heading), the operative part and each defendant's clause.

Court texts arrive with any line ends (CR, CRLF, LF), no-break spaces, spaced-out headings
(«П Р И Г О В О Р») and operative verbs in any case («ПРИГОВОРИЛ:», «приговорил:»). The operative part
of a verdict holds one conviction clause per defendant, each opened by «признать … виновным»; a clause
runs to the next defendant's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INVISIBLE = re.compile("[\u00a0\u202f\t]|[\u00ad\ufeff\u200b]")
_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029")
_KINDS = {
    "ПРИГОВОР": "приговор",
    "ПОСТАНОВЛЕНИЕ": "постановление",
    "ОПРЕДЕЛЕНИЕ": "определение",
    "РЕШЕНИЕ": "решение",
}
_SPACED = re.compile(r"(?<![\w])(?:[А-ЯЁа-яё] +){3,}[А-ЯЁа-яё](?![\w])")
_UPPER_KIND = re.compile(r"(?<![А-ЯЁа-яё])(ПРИГОВОР|ПОСТАНОВЛЕНИЕ|ОПРЕДЕЛЕНИЕ|РЕШЕНИЕ)(?![А-ЯЁа-яё])")
# «Приговор», «Постановление по делу об административном правонарушении», «Апелляционное определение»
_TITLE_LINE = re.compile(
    r"^[\s\W\d]*(?:(?:апелляционн|кассационн|заочн|частн)\w*\s+)?(приговор|постановление|определение|решение)"
    r"(?:\s*[.:]?\s*$|\s+(?:по|о|об|именем|суда|судьи|\d)\b)",
    re.IGNORECASE,
)
_HEADING_END = re.compile(r"у\s*с\s*т\s*а\s*н\s*о\s*в\s*и\s*л|установила", re.IGNORECASE)
_HEADING_LINES = 15
_OPERATIVE_VERBS = (
    ("приговор", r"п\s?р\s?и\s?г\s?о\s?в\s?о\s?р\s?и\s?л\s?[аи]?"),
    ("постановление", r"п\s?о\s?с\s?т\s?а\s?н\s?о\s?в\s?и\s?л\s?[аи]?"),
    ("определение", r"о\s?п\s?р\s?е\s?д\s?е\s?л\s?и\s?л\s?[аи]?"),
    ("решение", r"р\s?е\s?ш\s?и\s?л\s?[аи]?"),
)
_VERB_WITH_COLON = {
    kind: re.compile(rf"(?<![А-ЯЁа-яё]){verb}\s*:", re.IGNORECASE) for kind, verb in _OPERATIVE_VERBS
}
_VERB_ON_ITS_LINE = {
    kind: re.compile(rf"^\s*{verb}\s*[:;.]?\s*$", re.IGNORECASE | re.MULTILINE)
    for kind, verb in _OPERATIVE_VERBS
}
# «признать ФИО1 виновным», «ФИО1 признать виновной», «признать виновным ФИО1 в совершении»
_NOT_GUILTY = r"(?<![Нн]е)(?<![Нн]е )"
_NAME_FIRST = re.compile(
    rf"признать\s+(?P<name>[^;:]{{1,90}}?)(?:\s*,\s*|\s+){_NOT_GUILTY}виновн(?:ым|ой|ыми|ую|ого)\b",
    re.IGNORECASE,
)
_GUILTY_FIRST = re.compile(
    rf"признать\s+{_NOT_GUILTY}виновн(?:ым|ой|ыми)\s+(?P<name>[^;:]{{1,90}}?)\s+в\s+(?:совершени|том)",
    re.IGNORECASE,
)
_EACH = re.compile(r"(?<![А-ЯЁа-яё])(?:каждому|каждой|каждого\s+из\s+них)(?![А-ЯЁа-яё])", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[;:]\s*")
_SENTENCE_START = re.compile(r"(?:[;:]|(?<![\s.][А-ЯЁ])\.|\n)\s*")
_TITLES = re.compile(
    r"^(?:подсудим\w*|осужденн\w*|осуждённ\w*|гражданин\w*|рядов\w*|ефрейтор\w*|сержант\w*|младш\w*|старш\w*|"
    r"лейтенант\w*|капитан\w*|майор\w*|прапорщик\w*|матрос\w*|военнослужащ\w*|указанн\w*)\s+",
    re.IGNORECASE,
)
_JOINT = re.compile(r"\s*(?:,|\s+и\s+)\s*")
_REDACTED = re.compile(r"<[^<>]{0,30}>|\[[^\[\]]{0,30}\]")  # «<данные изъяты>», «[ФИО]»
# «Курмангалина Р.Д., ДД.ММ.ГГГГ года рождения, виновным»: the name ends before the birth date
_BIRTH = re.compile(
    r",\s*(?:ДД\.|\d{1,2}\.\d{1,2}\.|\d{4}\s*г|<дата|родивш|\d{1,2}\s+[а-я]+\s+\d{4}).*$", re.IGNORECASE
)
_NAME_TOKEN = re.compile(r"^(?:[«\"(\[<.]*[А-ЯЁA-Z]|[<\[(.]|и$|[-–,]$)")
# the operative part's conviction clauses end where the common orders begin
_CLAUSES_END = re.compile(
    r"вещественн\w*\s+доказательств|приговор\s+может\s+быть\s+обжалован|приговор\s+(?:суда\s+)?может\s+быть",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """One line end (``\\n``), plain spaces, no soft hyphens or byte-order marks."""
    text = _LINE_ENDS.sub("\n", text)
    return _INVISIBLE.sub(lambda m: "" if m.group(0) in "\u00ad\ufeff\u200b" else " ", text)


def _join_spaced(line: str) -> str:
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)


def heading_kind(text: str) -> str | None:
    """The act's kind from its heading, among the first lines before «установил»; ``None`` if none."""
    end = _HEADING_END.search(text)
    lines = [line for line in text[: end.start() if end else len(text)].split("\n") if line.strip()]
    for line in lines[:_HEADING_LINES]:
        joined = _join_spaced(line.strip())
        upper = _UPPER_KIND.search(joined)
        if upper:
            return _KINDS[upper.group(1)]
        title = _TITLE_LINE.match(joined)
        if title:
            return title.group(1).lower()
    return None


@dataclass(frozen=True, slots=True)
class OperativePart:
    """Where the operative part starts (after its verb), and the act kind that verb implies."""

    kind: str
    start: int
    verb_start: int


def operative_part(text: str, kind: str | None) -> OperativePart | None:
    """The operative verb of the act's kind (any kind when the heading is unknown), with a colon first."""
    kinds = [kind] if kind in _VERB_WITH_COLON else list(_VERB_WITH_COLON)
    for patterns in (_VERB_WITH_COLON, _VERB_ON_ITS_LINE):
        found = [(m.start(), m.end(), k) for k in kinds for m in [patterns[k].search(text)] if m]
        if found:
            start, end, chosen = min(found)
            return OperativePart(kind=chosen, start=end, verb_start=start)
    return None


@dataclass(frozen=True, slots=True)
class Clause:
    """One defendant's conviction clause: the name as written, the clause text, and its first sentence."""

    name: str
    text: str
    conviction: str  # the sentence «признать … виновным в совершении …» (articles are read from it)


def name_word(name: str) -> str:
    """The first word of a defendant's name as written, without titles («подсудимого», «рядового»)."""
    words = _TITLES.sub("", name.strip(' ,.«»"')).split()
    return words[0].strip(".,") if words else ""


def name_key(name: str) -> str:
    """A defendant's name as a key: ``name_word`` in lower case (case endings kept)."""
    return name_word(name).lower()


def same_person(key: str, other: str) -> bool:
    """Two name keys of one person in different cases («Струкова», «Струков»); «ФИО1» is not «ФИО2»."""
    if key == other:
        return True
    if any(ch.isdigit() for ch in key + other):
        return False
    common = len(key) if other.startswith(key) else len(other) if key.startswith(other) else 0
    if not common:
        common = next(
            (i for i, (a, b) in enumerate(zip(key, other, strict=False)) if a != b), min(len(key), len(other))
        )
    return common >= 4 and common >= max(len(key), len(other)) - 2


def _anchors(operative: str) -> list[tuple[int, int, str]]:
    """(clause start, conviction sentence end, names as written) of every «признать … виновным»."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_NAME_FIRST, _GUILTY_FIRST):
        for match in pattern.finditer(operative):
            name = _BIRTH.sub("", match.group("name")).strip(' ,.«»"')
            start = match.start()
            if pattern is _NAME_FIRST and re.match(r"(?i)виновн", name):
                continue
            if pattern is _NAME_FIRST and len(name) > 60:
                continue
            if not name:  # «ФИО1 признать виновным»: the name precedes the verb
                continue
            found.append((start, match.end(), name))
    for match in re.finditer(rf"признать\s*{_NOT_GUILTY}виновн(?:ым|ой|ыми)\b", operative, re.IGNORECASE):
        if any(start <= match.start() < end for start, end, _ in found):
            continue
        # the name before the verb: back to the sentence start, or (initials cut it: «А. АлексА.а») to
        # the previous colon, semicolon or the start of the operative part
        window = max(0, match.start() - 90)
        for boundaries in (_SENTENCE_START, _CLAUSE_START):
            marks = list(boundaries.finditer(operative, window, match.start()))
            head = marks[-1].end() if marks else (0 if window == 0 else window)
            name = operative[head : match.start()].strip(' ,.«»"-–')
            if name and len(name) <= 60 and _looks_like_name(name):
                found.append((head, match.end(), name))
                break
    found.sort()
    return found


def _looks_like_name(written: str) -> bool:
    """Names as courts write or redact them: «Колесникова ФИО9», «Те ИО1», «Салмину Е.В.», «Д», «<ФИО>»."""
    plain = _REDACTED.sub("<>", _TITLES.sub("", written.strip()))
    tokens = plain.replace(",", " , ").split()
    return 0 < len(tokens) <= 10 and all(_NAME_TOKEN.match(token) for token in tokens)


def defendant_clauses(operative: str) -> list[Clause]:
    """Each defendant's clause in an operative part, in order; one defendant named twice is one clause."""
    anchors = [anchor for anchor in _anchors(operative) if _looks_like_name(anchor[2])]
    if anchors:
        orders = _CLAUSES_END.search(operative, anchors[0][1])
        if orders:
            operative = operative[: orders.start()]
            anchors = [anchor for anchor in anchors if anchor[0] < orders.start()]
    groups: list[tuple[int, list[str], int]] = []  # (start, names, conviction end)
    seen: list[str] = []
    for start, conviction_end, written in anchors:
        names = [part for part in _JOINT.split(written) if part]
        keys = [name_key(n) for n in names]
        if all(any(same_person(key, other) for other in seen) for key in keys):
            continue  # the same defendant again (another count): part of the clause
        seen.extend(keys)
        groups.append((start, names, conviction_end))
    clauses: list[Clause] = []
    for index, (start, names, conviction_end) in enumerate(groups):
        end = groups[index + 1][0] if index + 1 < len(groups) else len(operative)
        body = operative[start:end]
        conviction = operative[start : _sentence_end(operative, conviction_end, end)]
        if len(names) == 1:
            clauses.append(Clause(names[0], body, conviction))
        else:
            clauses.extend(_split_joint(names, body, conviction))
    return clauses


def _sentence_end(text: str, position: int, limit: int) -> int:
    match = re.compile(r"(?<![\s.][А-ЯЁ])(?<!ст)(?<!ч)(?<!п)\.\s+(?=[А-ЯЁ])|;|\n").search(
        text, position, limit
    )
    return match.start() if match else limit


def _split_joint(names: list[str], body: str, conviction: str) -> list[Clause]:
    """«Признать ФИО1 и ФИО2 виновными … назначить: ФИО1 – …; ФИО2 – …»: each from its first mention;
    «… 3 года лишения свободы каждому»: one sentence for all of them."""
    if _EACH.search(body):
        return [Clause(name, body, conviction) for name in names]
    after = len(conviction)
    starts: list[int | None] = []
    for name in names:
        key = re.escape(name_key(name)[:-1] or name_key(name))
        match = re.search(rf"(?i)(?<![\w]){key}", body[after:])
        starts.append(after + match.start() if match else None)
    clauses: list[Clause] = []
    for index, name in enumerate(names):
        start = starts[index]
        if start is None:
            clauses.append(Clause(name, "", conviction))
            continue
        later = [s for s in starts if s is not None and s > start]
        clauses.append(Clause(name, body[start : min(later) if later else len(body)], conviction))
    return clauses
