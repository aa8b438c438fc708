"""The schema: each column declared once, tables built from the registry, vocabularies enforced.

``tests/gold/schema_columns.json`` was written from the schema as it stood before the field registry
(one hand-written mapping per table), so the first test proves the rewrite left every table's
columns, order and dtypes exactly as they were: the written tables stay byte-identical.
"""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from compare_factories import Sent, combine_threads, make_annotated_thread

from analysis import config
from analysis import schema as S
from analysis.compare import compare_tables
from analysis.errors import StageInputError
from analysis.ingest.stage import ingest_paths
from analysis.schema import fields, spec, tables, vocab

GOLD = Path(__file__).parent / "gold" / "schema_columns.json"
#: Column constants whose name is not ``name.upper()`` (that name is taken by a vocabulary).
RENAMED_CONSTANTS = {"link_methods": "LINK_METHODS_USED"}


# ------------------------------------------------------------------------------ compatibility


def test_every_table_has_exactly_the_columns_and_dtypes_it_had() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert list(S.ALL_TABLES) == gold["tables"]
    now = [[t, c, d] for t, table in S.ALL_TABLES.items() for c, d in table.dtypes.items()]
    assert now == gold["columns"]


def test_table_constants_are_the_specs_in_all_tables() -> None:
    for name, table in S.ALL_TABLES.items():
        assert getattr(S, name.upper()) is table
        assert table.name == name


def test_public_vocabulary_values_are_unchanged() -> None:
    """Values other packages compare against (and linking unpacks in this order)."""
    assert (S.ARTICLE, S.COMMENT, S.DOC_KINDS) == ("article", "comment", ("article", "comment"))
    assert (S.SIDE_ARTICLE, S.SIDE_COMMENTS) == ("article", "comments")
    assert S.POOLED == "__pooled__"
    assert S.LINK_METHODS == ("model", "gazetteer", "alias", "fuzzy", "flag")
    assert S.SENTIMENT_LABELS == ("negative", "neutral", "positive")
    assert S.PRESENCE_VALUES == ("both", "article_only", "comments_only")
    assert S.IS_PLACEHOLDER == "is_placeholder"
    assert (S.STR, S.INT, S.FLOAT, S.BOOL, S.DATE) == (
        "string",
        "Int64",
        "float64",
        "boolean",
        "datetime64[s]",
    )
    assert len(S.ENTITY_LABELS) == 11 and "PERSON" in S.ENTITY_LABELS


def test_a_spec_from_a_plain_mapping_still_works() -> None:
    legacy = S.TableSpec("legacy", {"a": (S.STR, "a"), "b": (S.INT, "b")}, "old style")
    frame = legacy.conform(pd.DataFrame({"b": [1, 2], "a": ["x", "y"], "extra": [0, 0]}))
    assert list(frame.columns) == ["a", "b"] and str(frame["b"].dtype) == "Int64"
    legacy.validate(frame)  # no vocabulary: only the columns are checked
    assert list(legacy.describe().columns) == ["column", "dtype", "description", "allowed_values"]


# ------------------------------------------------------------------------------ declared once


def test_every_field_and_table_column_is_described() -> None:
    for fld in S.FIELDS.values():
        assert fld.description.strip(), fld.name
        assert fld.dtype in fields.DTYPES, fld.name
    for table in S.ALL_TABLES.values():
        assert table.description.strip(), table.name
        for col, (_, desc) in table.columns.items():
            assert desc.strip(), f"{table.name}.{col}"


def test_no_field_is_declared_twice_in_the_source() -> None:
    """The registry refuses duplicates at import; this also catches a second literal declaration."""
    tree = ast.parse(Path(fields.__file__).read_text(encoding="utf-8"))
    declared = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_f"
        and isinstance(node.args[0], ast.Constant)
    ]
    assert len(declared) == len(S.FIELDS) > 100
    assert sorted(declared) == sorted(S.FIELDS)


def test_the_registry_refuses_a_second_declaration_and_bad_fields() -> None:
    registry = fields.FieldRegistry()
    assert registry.declare("x_count", S.INT, "how many x") == "x_count"
    with pytest.raises(ValueError, match="declared twice"):
        registry.declare("x_count", S.FLOAT, "another meaning")
    with pytest.raises(ValueError, match="dtype"):
        registry.declare("y", "int32", "wrong dtype")
    with pytest.raises(ValueError, match="no description"):
        registry.declare("z", S.STR, "  ")
    assert list(registry) == ["x_count"] and registry["x_count"].dtype == S.INT


def test_each_field_has_one_constant_exported_by_schema() -> None:
    for name in S.FIELDS:
        const = RENAMED_CONSTANTS.get(name, name.upper())
        assert getattr(fields, const) == name, name
        assert getattr(S, const) == name, name
        assert const in S.__all__
    field_constants = [
        k for k, v in vars(fields).items() if k.isupper() and isinstance(v, str) and v in S.FIELDS
    ]
    assert len(field_constants) == len(S.FIELDS)


def test_every_field_is_used_by_a_table() -> None:
    used = {c for table in S.ALL_TABLES.values() for c in table.names}
    assert set(S.FIELDS) - used == set()
    assert used <= set(S.FIELDS)


def test_table_columns_take_dtype_from_the_field() -> None:
    for table in S.ALL_TABLES.values():
        for col, dtype in table.dtypes.items():
            assert dtype == S.FIELDS[col].dtype, f"{table.name}.{col}"


def test_table_refuses_undeclared_and_repeated_columns() -> None:
    with pytest.raises(ValueError, match="not declared"):
        spec.table("t", "d", [S.DOC_ID, "no_such_column"])
    with pytest.raises(ValueError, match="listed twice"):
        spec.table("t", "d", [S.DOC_ID, spec.Column(S.DOC_ID, "again")])


def test_notes_append_and_table_descriptions_replace() -> None:
    built = spec.table(
        "t",
        "d",
        [spec.Column(S.DOC_ID, "the comment"), spec.Column(S.SCORE, description="own meaning")],
    )
    assert built.columns[S.DOC_ID][1] == f"{S.FIELDS[S.DOC_ID].description}; the comment"
    assert built.columns[S.SCORE][1] == "own meaning"


# ------------------------------------------------------------------------------ vocabularies


def test_allowed_values_come_from_the_vocabulary_module() -> None:
    vocabularies = set(vocab.VOCABULARIES.values())
    used = set()
    for table in S.ALL_TABLES.values():
        for col, allowed in table.allowed_values.items():
            assert allowed in vocabularies, f"{table.name}.{col}"
            used.add(allowed)
    assert used == vocabularies, "a vocabulary no table uses"
    for name, values in vocab.VOCABULARIES.items():
        assert len(set(values)) == len(values) and all(values), name
        assert getattr(S, name) is values


def test_categorical_columns_have_their_vocabulary_in_every_table() -> None:
    expected = {
        S.DOC_KIND: S.DOC_KINDS,
        S.LABEL: S.ENTITY_LABELS,
        S.LINK_METHOD: S.LINK_METHODS,
        S.PRESENCE: S.PRESENCE_VALUES,
        S.SENTIMENT_LABEL: S.SENTIMENT_LABELS,
        S.UNIT: S.UNITS,
        S.SKIP_REASON: S.SKIP_REASONS,
        S.METHOD: S.TOPIC_METHODS,
        S.FRAME: S.FRAMES,
    }
    for table in S.ALL_TABLES.values():
        for col, values in expected.items():
            if col in table.columns:
                if table is S.FRAME_SCORES and col == S.UNIT:
                    values = S.FRAME_UNITS  # sentences and whole documents scored apart
                assert table.allowed_values[col] == values, f"{table.name}.{col}"
        if S.SIDE in table.columns:
            sides = S.KEYNESS_SIDES if table is S.KEYNESS else S.SIDES
            assert table.allowed_values[S.SIDE] == sides, table.name


def test_describe_lists_allowed_values() -> None:
    frame = S.KEYNESS.describe()
    assert list(frame["column"]) == S.KEYNESS.names
    row = frame.set_index("column").loc[S.SIDE]
    assert row["allowed_values"] == "article | comments | neither | general_english"
    assert "neither" in row["description"]
    reference = frame.set_index("column").loc[S.REFERENCE]
    assert reference["allowed_values"] == "article | general_english"
    assert frame.set_index("column")["allowed_values"].isna().sum() == len(frame) - 2


def test_data_dictionary_covers_every_table_column_once() -> None:
    frame = S.data_dictionary()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert frame[["table", "column", "dtype"]].to_numpy().tolist() == gold["columns"]
    assert frame["description"].str.strip().astype(bool).all()


# ------------------------------------------------------------------------------ validate


def _mentions(link_methods: list[object]) -> pd.DataFrame:
    n = len(link_methods)
    frame = S.MENTIONS.empty().reindex(range(n))
    frame[S.DOC_KIND] = [S.COMMENT] * n
    frame[S.LABEL] = ["PERSON"] * n
    frame[S.LINK_METHOD] = pd.array(link_methods, dtype="string")
    return S.MENTIONS.conform(frame)


def test_validate_accepts_vocabulary_values_and_missing_ones() -> None:
    S.MENTIONS.validate(_mentions([*S.LINK_METHODS, None]))
    S.MENTIONS.validate(S.MENTIONS.empty())


def test_validate_names_table_column_and_bad_values() -> None:
    bad = _mentions(["model", "magic", "magic", "guess", None])
    with pytest.raises(StageInputError) as err:
        S.MENTIONS.validate(bad, stage="compare")
    message = str(err.value)
    assert message.startswith("compare: table 'mentions', column 'link_method': 3 rows")
    assert "'guess', 'magic'" in message and "'model'" not in message.split("expected")[0]
    assert "\n" not in message


def test_validate_quotes_a_bounded_number_of_bad_values() -> None:
    bad = _mentions([f"m{i}" for i in range(11)] + ["a long comment\nwith a line break " * 20])
    with pytest.raises(StageInputError, match="and 7 more") as err:
        S.MENTIONS.validate(bad)
    assert len(str(err.value)) < 400 and "\n" not in str(err.value)


def test_validate_uses_the_table_vocabulary_not_only_the_field() -> None:
    keyness = S.KEYNESS.empty().reindex(range(1))
    keyness[S.SIDE] = pd.array([vocab.SIDE_NEITHER], dtype="string")
    S.KEYNESS.validate(keyness)
    tone = S.ACTOR_TONE.empty().reindex(range(1))
    tone[S.SIDE] = pd.array([vocab.SIDE_NEITHER], dtype="string")
    with pytest.raises(StageInputError, match="'actor_tone', column 'side'"):
        S.ACTOR_TONE.validate(tone)


def test_validate_reports_a_missing_column_first() -> None:
    frame = S.AGENDA.empty().drop(columns=[S.PRESENCE])
    with pytest.raises(StageInputError, match=r"'agenda' table; missing columns \['presence'\]"):
        S.AGENDA.validate(frame)


# ------------------------------------------------------------------------------ the code agrees


def test_ingested_seed_tables_hold_only_allowed_values() -> None:
    seed = ingest_paths([config.SEED_FILE])
    S.CORPUS.validate(seed.corpus)
    S.PARAGRAPHS.validate(seed.paragraphs)
    assert set(seed.corpus[S.DOC_KIND]) == set(S.DOC_KINDS)


def test_compare_outputs_hold_only_allowed_values() -> None:
    """Two synthetic threads (so pooled rows exist), run through the public compare stage."""
    article = [
        [Sent("Mayor Ada Park opened the bridge.", 0.4, entities=(("Ada Park", "Ada Park"),))],
        [Sent("The bridge cost ten million dollars.", 0.0), Sent("Critics called it waste.", -0.6)],
    ]
    comments = [
        [Sent("Ada Park did well on the bridge.", 0.6, entities=("Ada Park",))],
        [Sent("Taxes went up again for nothing.", -0.7)],
        [Sent("The council lied about the cost.", -0.5, entities=(("The council", "Council"),))],
        "",
    ]
    inputs = combine_threads(
        make_annotated_thread(article=article, comments=comments, thread_id="t1"),
        make_annotated_thread(article=article, comments=comments[:2], thread_id="t2"),
    )
    for name, frame in inputs.items():
        S.ALL_TABLES[name].validate(frame, stage=name)
    outputs = compare_tables(inputs, seed=config.SEED)
    assert S.POOLED in set(outputs["tone_summary"][S.THREAD_ID])
    for name, frame in outputs.items():
        S.ALL_TABLES[name].validate(frame, stage=name)
    # the thread_id note says "__pooled__" exactly in the tables that hold pooled rows
    pooled = {n for n, f in outputs.items() if S.POOLED in set(f[S.THREAD_ID])}
    documented = {n for n in outputs if S.POOLED in S.ALL_TABLES[n].columns[S.THREAD_ID][1]}
    assert pooled == documented and len(pooled) >= 8
    assert set(outputs["tone_summary"][S.UNIT]) == set(S.UNITS)
    shares = outputs["tone_shares"]
    assert not shares.empty and not any(math.isnan(v) for v in shares["n"].astype(float))


def test_modules_stay_small() -> None:
    for module in (fields, spec, tables, vocab, S):
        lines = Path(module.__file__).read_text(encoding="utf-8").count("\n")
        assert lines < 600, module.__name__
