"""Two small threads on disk (CSV comments + Markdown articles) for end-to-end tests.

Different topics, so nothing tuned to the seed applies: a city's bike lanes and a school's
library. Each comments file has a sidecar-free name; ``write_two_threads`` returns the paths in
the order ``ingest a.csv --article a.md b.csv --article b.md`` pairs them.
"""

from __future__ import annotations

import csv
from pathlib import Path

BIKE_ARTICLE = """# Riverside council approves new bike lanes on Main Street

The Riverside council voted on Tuesday to build protected bike lanes along Main Street.

Mayor Ana Lopez said the lanes would make the road safer for children cycling to school.

Shop owners on Main Street worry that losing parking spaces will hurt their business.

Construction is planned for the spring and will cost about two million dollars.
"""
BIKE_COMMENTS = [
    "Great news, Main Street is terrifying on a bike.",
    "Ana Lopez never listens to shop owners. This is a terrible waste of money.",
    "Two million dollars for paint? Awful decision.",
    "My kids cycle to school every day, thank you Riverside council!",
    "Parking is already impossible downtown.",
    "What about the potholes on Oak Avenue?",
    "Lovely, safer streets for everyone.",
    "The council should fix the buses first.",
]
LIBRARY_ARTICLE = """# Hillview school library reopens after renovation

The Hillview school library reopened on Monday after a year of renovation work.

Principal Tom Baker thanked parents who raised money for new books and computers.

The library will now stay open until six in the evening for students.
"""
LIBRARY_COMMENTS = [
    "Tom Baker did a wonderful job, the library looks amazing.",
    "Finally! My daughter loves reading there.",
    "Why did it take a whole year? Terrible planning.",
    "Thanks to all the parents who helped.",
    "Open until six is great for working families.",
]


def _write_csv(path: Path, comments: list[str], prefix: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["comment_id", "author", "text"])
        for i, text in enumerate(comments, start=1):
            writer.writerow([f"{prefix}{i}", f"user{i % 3}", text])


def write_two_threads(folder: Path) -> tuple[list[Path], list[Path]]:
    """Write ``bikes.csv``/``bikes.md`` and ``library.csv``/``library.md`` into ``folder``.

    Returns:
        ``(inputs, articles)`` in pairing order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    inputs = [folder / "bikes.csv", folder / "library.csv"]
    articles = [folder / "bikes.md", folder / "library.md"]
    _write_csv(inputs[0], BIKE_COMMENTS, "b")
    _write_csv(inputs[1], LIBRARY_COMMENTS, "l")
    articles[0].write_text(BIKE_ARTICLE, encoding="utf-8")
    articles[1].write_text(LIBRARY_ARTICLE, encoding="utf-8")
    return inputs, articles
