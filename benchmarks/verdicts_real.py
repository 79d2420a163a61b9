"""The verdict reader scored on real court acts: the dev half of the Judgement corpus.

    .venv/bin/python benchmarks/verdicts_real.py [--misses] [--root ../shared/reference/verdicts/judgement]

Each dev text has its annotation tags stripped before the reader sees it; the tags are the labels
(rules in tests/judgement_labels.py and ../shared/reference/verdicts/MANIFEST.md). Printed: per field
the accuracy (correct / labelled) and coverage (non-null answers / labelled), for all of dev and for its
two halves by file number (N even: the half rules were developed on; N odd: held out), the punishment
confusion table, and with ``--misses`` every miss (file, expected, got). Then the CLI's reading path is
timed over ``eval/`` (no scoring there: it has no labels), to show every text gives a result.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.judgement_labels import FIELDS, Scores, dev_files, read_tagged, score
from tests.reference import REAL_VERDICTS

from warduty.sudrf.act_file import read_act_file
from warduty.sudrf.verdict import extract_verdict


def read(text: str) -> dict[str, object]:
    return extract_verdict(text).to_dict()


def run(paths: list[Path], root: Path) -> Scores:
    return score(((str(p.relative_to(root)), read_tagged(p)) for p in paths), read)


def print_table(results: dict[str, Scores]) -> None:
    names = list(results)
    print("| field | " + " | ".join(f"{n} accuracy | {n} coverage | {n} n" for n in names) + " |")
    print("|---|" + "---|---|---|" * len(names))
    for field_name in FIELDS:
        cells = []
        for scores in results.values():
            entry = scores.fields[field_name]
            cells.append(f"{entry.accuracy:.3f} | {entry.coverage:.3f} | {entry.labelled}")
        print(f"| {field_name} | " + " | ".join(cells) + " |")


def print_confusion(scores: Scores) -> None:
    expected = sorted({str(e) for e, _ in scores.confusion})
    got = sorted({str(g) for _, g in scores.confusion})
    print("| label \\ reader | " + " | ".join(got) + " |")
    print("|---|" + "---|" * len(got))
    for want in expected:
        row = [
            str(sum(n for (e, g), n in scores.confusion.items() if str(e) == want and str(g) == answer))
            for answer in got
        ]
        print(f"| {want} | " + " | ".join(row) + " |")


def time_eval(root: Path) -> None:
    paths = sorted((root / "eval").glob("*/*.txt"))
    cpu = time.process_time()
    wall = time.perf_counter()
    errors = 0
    for path in paths:
        result = read_act_file(path)
        errors += result.error is not None
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    print(f"\neval: {len(paths)} texts read, {errors} errors, CPU {cpu:.2f} s, wall {wall:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REAL_VERDICTS)
    parser.add_argument("--misses", action="store_true", help="List every miss (file, expected, got).")
    args = parser.parse_args()
    dev = args.root / "dev"
    if not dev.is_dir():
        sys.exit(f"no dev texts at {dev} (the Judgement corpus lives in ../shared/reference/verdicts)")
    results = {
        "dev": run(dev_files(dev), dev),
        "even": run(dev_files(dev, 0), dev),
        "odd (held out)": run(dev_files(dev, 1), dev),
    }
    print(
        f"dev: {results['dev'].files} texts ({results['even'].files} even, "
        f"{results['odd (held out)'].files} odd)\n"
    )
    print_table(results)
    print("\nPunishment, label (rows) against reader (columns), all dev:\n")
    print_confusion(results["dev"])
    if args.misses:
        print("\nMisses (all dev):")
        for miss in results["dev"].misses:
            print(f"  {miss.file}  {miss.field}: expected {miss.expected!r}, got {miss.got!r}")
    else:
        print(f"\n{len(results['dev'].misses)} misses (--misses lists them)")
    if (args.root / "eval").is_dir():
        time_eval(args.root)


if __name__ == "__main__":
    main()
