"""Rewrite tests/gold/schema_columns.json from the current schema.

Run it only when a table's columns change on purpose (the schema test then checks that nothing
else moved): ``python tools/schema_golden.py``.
"""

from __future__ import annotations

import json

from analysis import config
from analysis import schema as S


def main() -> None:
    columns = [
        [name, column, dtype]
        for name, spec in S.ALL_TABLES.items()
        for column, dtype in spec.dtypes.items()
    ]
    payload = {"tables": list(S.ALL_TABLES), "columns": columns}
    path = config.ROOT / "tests" / "gold" / "schema_columns.json"
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"{path}: {len(payload['tables'])} tables, {len(columns)} columns")


if __name__ == "__main__":
    main()
