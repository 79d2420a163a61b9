"""Redaction measured on real court acts (the dev half of the Judgement corpus; eval/ is never read).

    .venv/bin/python benchmarks/redaction_real.py [--root ../shared/reference/verdicts/judgement/dev]

Each act's defendant is the ``\\accusedb ... \\accusede`` span (as the act writes it, often declined:
«Мышанского С.И.»); put in the nominative (see :func:`nominative`), it plays the name a card gives. The act
(tags stripped) is redacted with that one name, and then, separately, with ten names of *other* acts'
defendants. Printed: milliseconds per act; how many spans were replaced and how many of them hold
neither the surname's nor the first name's stem (over-redaction); the surname forms a reader can still
find after redaction (misses); and replacements made by the unrelated names (false alarms, unless the
other person is really named).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.judgement_labels import dev_files, read_tagged, strip_tags
from tests.reference import REAL_VERDICTS

from warduty.privacy import redactor
from warduty.privacy.forms import _analyser, fold, split_name, surname_forms

ACCUSED = re.compile(r"\\accusedb\s*(.*?)\s*\\accusede", re.DOTALL)
ALIAS = "Подсудимый-QX"


def nominative(written: str, text: str) -> str:
    """The name a card would give: «Мышанского С.И.» -> «Мышанский С.И.». The surname is the shortest
    capitalised word of the act whose declension gives the written form (acts print the nominative
    somewhere: «Мышанский С.И. совершил»); first name and patronymic are pymorphy3's normal forms."""
    surname, *rest = written.split()
    stem = surname[: max(3, len(surname) - 3)]
    seen = set(re.findall(rf"(?<!\w){re.escape(stem)}\w*", text.replace("\xad", "")))
    fits = [word for word in seen if fold(surname) in surname_forms(word)]
    words = [min(fits, key=lambda w: (len(w), w)) if fits else surname]
    for word in rest:
        if "." in word or len(word) < 2:
            words.append(word)
            continue
        parses = [p for p in _analyser().parse(word) if {"Name", "Patr"} & set(p.tag.grammemes)]
        words.append(parses[0].normal_form.capitalize() if parses else word)
    return " ".join(words)


def stems(name: str) -> tuple[str, ...]:
    parts = split_name(name)
    if parts is None:
        return ()
    found = [parts.surname[: max(3, len(parts.surname) - 2)]]
    if parts.first:
        found.append(parts.first[: max(3, len(parts.first) - 2)])
    return tuple(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=REAL_VERDICTS / "dev")
    parser.add_argument("--show", type=int, default=10, help="print this many over-redacted spans")
    args = parser.parse_args()
    items = []
    for path in dev_files(args.root):
        tagged = read_tagged(path)
        accused = [" ".join(m.group(1).split()) for m in ACCUSED.finditer(tagged)]
        accused = [a for a in accused if split_name(a)]
        if accused:
            text = strip_tags(tagged)
            items.append((path, text, nominative(accused[0], text), accused[0]))
    names = [name for _, _, name, _ in items]
    times, replaced, beyond, misses, false_alarms, words = [], 0, [], 0, 0, 0
    alarms: list[tuple[str, str]] = []
    for index, (path, text, name, written) in enumerate(items):
        matcher = redactor({name: ALIAS})
        started = time.perf_counter()
        out = matcher.redact(text)
        times.append((time.perf_counter() - started) * 1000)
        words += len(text.split())
        own = stems(name) + stems(written)
        spans = [text[s:e] for s, e, _ in matcher._matches(text, _project_plain(text))]
        replaced += len(spans)
        visible = [(s, fold(s).replace("\xad", "")) for s in spans]
        beyond += [(path.name, s) for s, seen in visible if not any(st in seen for st in own)]
        surname = fold(written.split()[0])[: max(3, len(written.split()[0]) - 2)]
        misses += len(re.findall(rf"(?<!\w){re.escape(surname)}\w*", fold(out)))
        others = {n: ALIAS for n in names[index + 1 : index + 11] if stems(n) and stems(n) != own}
        if others:
            other = redactor(others)
            spans = [text[s:e] for s, e, _ in other._matches(text, _project_plain(text))]
            false_alarms += len(spans)
            alarms += [(path.name, s) for s in spans]
    print(f"acts with a named defendant: {len(items)} of {len(dev_files(args.root))}; words: {words:,}")
    print(
        f"ms per act: mean {statistics.mean(times):.2f}, median {statistics.median(times):.2f}, "
        f"p95 {sorted(times)[int(0.95 * len(times))]:.2f}, max {max(times):.2f}"
    )
    print(f"spans replaced: {replaced:,}; of them holding neither surname nor first-name stem: {len(beyond)}")
    print(f"surname stems a reader still finds after redaction (misses): {misses}")
    print(f"replacements made by 10 unrelated defendants' names per act: {false_alarms}")
    for name, span in beyond[: args.show]:
        print(f"  beyond the name: {name}: {span!r}")
    for name, span in alarms[: args.show]:
        print(f"  by an unrelated name: {name}: {span!r}")


def _project_plain(text: str) -> object:
    from warduty.privacy.redact import _project

    return _project(text, False)


if __name__ == "__main__":
    main()
