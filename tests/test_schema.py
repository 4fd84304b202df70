"""The store's tables hold exactly the fields the pydantic records describe, and their rows validate."""

import pytest

from metrics.fields import CaseRecord, CatalogueRecord

INTERNAL = {"import_id", "source_row"}


@pytest.mark.parametrize("table,model", [("cases", CaseRecord), ("catalogue", CatalogueRecord)])
def test_tables_match_records(small_store, table, model):
    cols = [r[0] for r in small_store.execute(f"DESCRIBE {table}").fetchall()]
    assert [c for c in cols if c not in INTERNAL] == list(model.model_fields)
    df = small_store.execute(f"SELECT * EXCLUDE (import_id, source_row) FROM {table}").df()
    rows = df.astype(object).where(df.notna(), None).to_dict("records")
    assert len(rows) > 0
    for row in rows:
        model.model_validate(row)
