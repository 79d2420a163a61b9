"""The data dictionary of every export and release: each table, its keys and each column with its type,
unit and description. Datasette's ``metadata.json``, the Parquet schema metadata and the Frictionless
``datapackage.json`` are all written from this one list, so a column cannot be described in one and
missing in another (a test walks every exported table and fails on an undescribed column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from warduty.stats.definitions import DEFINITIONS

Kind = Literal["integer", "number", "boolean", "date", "string", "json"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = False


@dataclass(frozen=True, slots=True)
class ForeignKey:
    column: str
    table: str
    target: str


@dataclass(frozen=True, slots=True)
class TableDoc:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    facets: tuple[str, ...] = ()  # columns people filter and facet by: indexed in the SQLite export
    full_text: tuple[str, ...] = ()  # columns of an FTS5 index in the SQLite export
    label: str = ""  # the column Datasette shows for a row another table links to

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_ID = "Row id within this export (stable for a database, not across databases)."
_DAY = "day"
_RUN = "The crawl run (id in the source database) that {what}."

COURTS = TableDoc(
    "courts",
    "Courts",
    "Russia's military courts in the registry: garrison (first instance), district and appellate courts.",
    (
        Column("code", "string", "The court's code on sudrf.ru (e.g. 77GV0017).", required=True),
        Column(
            "level",
            "string",
            "garrison (first instance), district, appeal, cassation or supreme.",
            required=True,
        ),
        Column("name_ru", "string", "The court's name in Russian.", required=True),
        Column("name_en", "string", "The court's name in English.", required=True),
        Column(
            "seat_region_ru",
            "string",
            "The federal subject where the court sits (Russian); the region of every regional figure.",
            required=True,
        ),
        Column(
            "seat_region_en", "string", "The federal subject where the court sits (English).", required=True
        ),
        Column("circuit", "string", "The military district court the court answers to.", required=True),
    ),
    ("code",),
    facets=("level", "seat_region_en", "circuit"),
    label="name_en",
)

CASES = TableDoc(
    "cases",
    "Cases",
    "First-instance criminal cases as the court cards show them (receipt, decision, result).",
    (
        Column("id", "integer", _ID, required=True),
        Column("court_code", "string", "The court (see courts.code).", required=True),
        Column(
            "region",
            "string",
            "The federal subject where the court sits (English; see courts): the "
            "region of the regional rankings, not the soldier's home.",
        ),
        Column(
            "docket",
            "string",
            "The court's docket the case is listed in (criminal-1: first instance).",
            required=True,
        ),
        Column("case_number", "string", "The case number as the court prints it.", required=True),
        Column("uid", "string", "The national case identifier (УИД) when the card shows one."),
        Column("site_case_id", "string", "The case's id in the court site's URLs."),
        Column("card_url", "string", "The case card on the court's website (the live URL)."),
        Column("received", "date", "Day the court received the case (Дата поступления).", _DAY),
        Column("received_raw", "string", "The receipt date as printed."),
        Column(
            "received_month", "string", "Month of receipt (YYYY-MM): the month 'cases received' counts it in."
        ),
        Column("category", "string", "The case category as printed (articles of the Criminal Code)."),
        Column("judge", "string", "The judge as printed."),
        Column("decided", "date", "Day of the decision on the case card.", _DAY),
        Column("decided_raw", "string", "The decision date as printed."),
        Column("result", "string", "The result as printed on the card."),
        Column(
            "outcome",
            "string",
            "The result read by warduty's one outcome classifier: verdict, "
            "dismissed, returned, transferred, medical, pending or other.",
        ),
        Column("legal_force", "date", "Day the decision entered into legal force.", _DAY),
        Column("legal_force_raw", "string", "The legal-force date as printed."),
        Column("status", "string", "The case's state on the site as last crawled."),
        Column("first_seen_run", "integer", _RUN.format(what="first stored the case")),
        Column("last_seen_run", "integer", _RUN.format(what="last saw the case")),
        Column("changed_run", "integer", _RUN.format(what="last changed the case")),
        Column(
            "missing_since",
            "date",
            "Day from which the case was no longer found on the court's site (kept, never deleted).",
            _DAY,
        ),
        Column("fetch_id", "integer", "The fetch (and so the archived WARC record) the card was read from."),
        Column("listing_signature", "string", "Digest of the listing row's fields, to see changes."),
    ),
    ("id",),
    (ForeignKey("court_code", "courts", "code"),),
    facets=("court_code", "region", "received_month", "outcome", "received", "decided"),
    label="case_number",
)

PERSONS = TableDoc(
    "persons",
    "Defendants",
    "Defendants with the articles as printed and their result; names pseudonymised unless exported "
    "with --names.",
    (
        Column("id", "integer", _ID, required=True),
        Column("case_id", "integer", "The defendant's case (see cases.id).", required=True),
        Column("position", "integer", "The defendant's place in the card's list (1 = first).", required=True),
        Column(
            "name",
            "string",
            "The defendant's pseudonym (D-...), the same the dashboard and briefings "
            "use; the name as published only in an export made with --names; empty when hidden.",
        ),
        Column("hidden", "boolean", "The court hid the defendant's name.", required=True),
        Column("articles_raw", "string", "The articles as printed (e.g. ст.337 ч.5 УК РФ)."),
        Column("decided", "date", "Day of the decision on this defendant.", _DAY),
        Column("decided_raw", "string", "The decision date as printed."),
        Column(
            "decided_month",
            "string",
            "Month of the decision (YYYY-MM), the defendant's date else the case's: the month "
            "a verdict counts as a sentence in.",
        ),
        Column("result", "string", "The result for this defendant as printed."),
        Column(
            "outcome", "string", "The result read by warduty's one outcome classifier (verdict = a sentence)."
        ),
    ),
    ("id",),
    (ForeignKey("case_id", "cases", "id"),),
    facets=("case_id", "decided_month", "outcome"),
)

PERSON_ARTICLES = TableDoc(
    "person_articles",
    "Articles charged",
    "Each article of the Criminal Code a defendant is charged under, parsed from articles_raw.",
    (
        Column("id", "integer", _ID, required=True),
        Column("person_id", "integer", "The defendant (see persons.id).", required=True),
        Column("article", "string", "Article of the Criminal Code (e.g. 337).", required=True),
        Column("part", "string", "Part of the article; empty when not printed."),
        Column("point", "string", "Point of the part; empty when not printed."),
        Column(
            "article_group",
            "string",
            "The article's group in warduty's catalogue (e.g. awol).",
            required=True,
        ),
        Column(
            "wartime_part",
            "boolean",
            "A part added for mobilisation, martial law or wartime (from 24 Sep 2022).",
            required=True,
        ),
    ),
    ("id",),
    (ForeignKey("person_id", "persons", "id"),),
    facets=("person_id", "article", "article_group"),
)

EVENTS = TableDoc(
    "events",
    "Case events",
    "The case movement (ДВИЖЕНИЕ ДЕЛА) rows with the day each was posted.",
    (
        Column("id", "integer", _ID, required=True),
        Column("case_id", "integer", "The case (see cases.id).", required=True),
        Column("position", "integer", "The row's place on the card.", required=True),
        Column("name", "string", "The event as printed (e.g. Судебное заседание).", required=True),
        Column("date", "date", "Day of the event.", _DAY),
        Column("date_raw", "string", "The event date as printed."),
        Column("time", "string", "Time of the event as printed (HH:MM)."),
        Column("place", "string", "Courtroom as printed."),
        Column("result", "string", "The event's result as printed."),
        Column("basis", "string", "The basis of the result as printed."),
        Column("posted", "date", "Day the event was posted on the site.", _DAY),
    ),
    ("id",),
    (ForeignKey("case_id", "cases", "id"),),
    facets=("case_id", "name"),
)

ACTS = TableDoc(
    "acts",
    "Judicial acts",
    "Judicial acts with their published text and the facts read from it (verdict JSON); defendants' "
    "names in the text replaced by their pseudonyms.",
    (
        Column("id", "integer", _ID, required=True),
        Column("case_id", "integer", "The case (see cases.id).", required=True),
        Column("position", "integer", "The act's place on the card.", required=True),
        Column("kind", "string", "The kind of act as printed (e.g. Приговор)."),
        Column("doc_url", "string", "The act on the court's website (the live URL)."),
        Column("published", "date", "Day the act was published.", _DAY),
        Column("text", "string", "The act's text as published, names redacted."),
        Column("verdict", "json", "Facts read from the text (JSON): sentence, term, suspended, ..."),
        Column("fetch_id", "integer", "The fetch (and so the archived WARC record) the text was read from."),
    ),
    ("id",),
    (ForeignKey("case_id", "cases", "id"),),
    facets=("case_id", "kind"),
    full_text=("text",),
)

MONTHLY_SERIES = TableDoc(
    "monthly_series",
    "Monthly series",
    "Cases received and sentences per watched article and month. "
    + DEFINITIONS["received"]["en"]
    + " "
    + DEFINITIONS["sentences"]["en"],
    (
        Column("article", "string", "Article of the Criminal Code (a watched article).", required=True),
        Column("metric", "string", "received (cases) or sentences (defendants).", required=True),
        Column("month", "string", "Calendar month (YYYY-MM).", required=True),
        Column(
            "value",
            "integer",
            "The count: cases received, or defendants sentenced.",
            "cases or defendants",
            required=True,
        ),
    ),
    ("article", "metric", "month"),
    facets=("article", "metric", "month"),
)

REGION_RANKING = TableDoc(
    "region_ranking",
    "Regional ranking",
    "Regions by court seat, largest first, per watched article and metric since mobilisation "
    "(21 Sep 2022), in both readings of Moscow. " + DEFINITIONS["region"]["en"],
    (
        Column("article", "string", "Article of the Criminal Code (a watched article).", required=True),
        Column("metric", "string", "received (cases) or sentences (defendants).", required=True),
        Column(
            "moscow_reading",
            "string",
            "oblast: Moscow Oblast's courts only, Moscow city apart; "
            "city_and_oblast: the two merged into one entry.",
            required=True,
        ),
        Column("rank", "integer", "Place in the ranking (1 = largest; ties ordered by name).", required=True),
        Column("region_ru", "string", "The federal subject where the courts sit (Russian).", required=True),
        Column("region_en", "string", "The federal subject where the courts sit (English).", required=True),
        Column("value", "integer", "The count since mobilisation.", "cases or defendants", required=True),
    ),
    ("article", "metric", "moscow_reading", "rank"),
    facets=("article", "metric", "moscow_reading", "region_en"),
)

TABLE_DOCS: tuple[TableDoc, ...] = (
    COURTS,
    CASES,
    PERSONS,
    PERSON_ARTICLES,
    EVENTS,
    ACTS,
    MONTHLY_SERIES,
    REGION_RANKING,
)
TABLES_BY_NAME: dict[str, TableDoc] = {t.name: t for t in TABLE_DOCS}


@dataclass(frozen=True, slots=True)
class ViewDoc:
    name: str
    description: str
    sql: str
    columns: dict[str, str] = field(default_factory=dict)


# Views only reshape the computed tables: no figure is defined a second time in SQL.
VIEWS: tuple[ViewDoc, ...] = (
    ViewDoc(
        "monthly_series_wide",
        "The monthly series with received and sentences side by side, one row per article and month.",
        "SELECT article, month, "
        "SUM(CASE WHEN metric = 'received' THEN value END) AS received, "
        "SUM(CASE WHEN metric = 'sentences' THEN value END) AS sentences "
        "FROM monthly_series GROUP BY article, month ORDER BY article, month",
        {
            "article": "Article of the Criminal Code.",
            "month": "Calendar month (YYYY-MM).",
            "received": "Cases received in the month.",
            "sentences": "Defendants sentenced in the month.",
        },
    ),
    ViewDoc(
        "region_ranking_337",
        "Art. 337 (AWOL) cases received since mobilisation by court seat, Moscow Oblast apart from Moscow "
        "city: the ranking the briefing charts.",
        "SELECT rank, region_en, region_ru, value FROM region_ranking WHERE article = '337' "
        "AND metric = 'received' AND moscow_reading = 'oblast' ORDER BY rank",
        {
            "rank": "Place in the ranking (1 = largest).",
            "region_en": "The federal subject where the courts sit (English).",
            "region_ru": "The federal subject where the courts sit (Russian).",
            "value": "Cases received since 21 Sep 2022.",
        },
    ),
)

LICENCE = {
    "name": "CC-BY-SA-4.0",
    "title": "Creative Commons Attribution-ShareAlike 4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
}
SOURCES = (
    {
        "title": "Public case cards and judicial acts of Russia's military courts (sudrf.ru), crawled by "
        "warduty",
        "path": "https://sudrf.ru",
    },
)
TITLE = "warduty: prosecutions for leaving military service in Russia's military courts"
WHAT_IT_IS_NOT = (
    "Counts of records published on court websites as crawled on the as-of date: not every prosecution "
    "(courts post with delays and do not post everything), not convictions in force, and not the "
    "soldiers' home regions."
)


DICTIONARY_START = "<!-- data dictionary: python -m warduty.report.dictionary docs/datasets.md -->"
DICTIONARY_END = "<!-- end of data dictionary -->"


def dictionary_markdown() -> str:
    """The data dictionary as Markdown: every table with its keys and every column."""
    lines = []
    for doc in TABLE_DOCS:
        keys = ", ".join(f"`{k}`" for k in doc.primary_key)
        lines += [f"### `{doc.name}`: {doc.title}", "", doc.description, "", f"Primary key: {keys}."]
        if doc.foreign_keys:
            links = ", ".join(f"`{fk.column}` → `{fk.table}.{fk.target}`" for fk in doc.foreign_keys)
            lines[-1] += f" Links: {links}."
        lines += ["", "| column | type | description |", "| --- | --- | --- |"]
        for column in doc.columns:
            unit = f" Unit: {column.unit}." if column.unit else ""
            lines.append(f"| `{column.name}` | {column.kind} | {column.description}{unit} |")
        lines.append("")
    return "\n".join(lines)


def with_dictionary(document: str) -> str:
    """``document`` with the part between the dictionary markers replaced by :func:`dictionary_markdown`."""
    head, start, rest = document.partition(DICTIONARY_START)
    _, end, tail = rest.partition(DICTIONARY_END)
    if not start or not end:
        raise ValueError("the document has no data dictionary markers")
    return head + start + "\n\n" + dictionary_markdown() + "\n" + end + tail


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(with_dictionary(target.read_text(encoding="utf-8")), encoding="utf-8")
