"""Record schemas of the energy supply-balance tables, declared once.

Each table type (crude imports by origin, product trade, refinery runs, demand, stocks,
alternative procurement, published stock days, scenario path, allocation result) is declared
here with its columns, Polars types, units and descriptions (Korean first). The Polars
schema, the validation of incoming frames and the documentation table all come from this one
declaration, as PyPSA does for its components (STYLE.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_frame


@dataclass(frozen=True)
class Column:
    """One column: name, Polars type, unit, Korean and English description."""

    name: str
    dtype: pl.DataType | type[pl.DataType]
    unit: str
    ko: str
    en: str
    non_negative: bool = False


@dataclass(frozen=True)
class TableSchema:
    """A table type: its columns and whether static attributes or a time series."""

    name: str
    ko: str
    en: str
    columns: tuple[Column, ...]
    #: Columns that identify a row. A level (a month-end stock) has one value per key: two
    #: rows for one key are an error, never summed as if they were flows.
    key: tuple[str, ...] = ()

    @property
    def polars_schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def validate(self, frame: pl.DataFrame, *, line_offset: int = 2) -> pl.DataFrame:
        """Return the frame cast to the declared schema, or raise naming the bad field.

        Missing columns, uncastable values, nulls, NaN/infinite or absurd numbers, negative
        volumes and a repeated key are refused: a supply balance with a negative import is an
        input error, not a number. ``line_offset`` is the file line of the first data row.
        """
        missing = [n for n in self.names if n not in frame.columns]
        if missing:
            raise InvalidInput(f"{self.name}: missing column(s) {missing}", field=missing[0])
        try:
            out = frame.select(pl.col(c.name).cast(c.dtype, strict=True) for c in self.columns)
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            raise InvalidInput(f"{self.name}: a value does not fit its type ({exc})") from exc
        for c in self.columns:
            if out[c.name].null_count():
                raise InvalidInput(f"{self.name}: empty value in '{c.name}'", field=c.name)
        finite_frame(out, [c.name for c in self.columns if c.dtype == pl.Float64],
                     line_offset=line_offset)  # fmt: skip
        for c in self.columns:
            if c.non_negative and out.filter(pl.col(c.name) < 0).height:
                raise InvalidInput(f"{self.name}: '{c.name}' must not be negative", field=c.name)
        if self.key:
            keys = out.select(self.key)
            repeated = ~keys.select(pl.struct(self.key).is_first_distinct()).to_series()
            if repeated.any():
                again = int(repeated.arg_max())
                row = keys.row(again)
                first = next(i for i, r in enumerate(keys.iter_rows()) if r == row)
                values = ", ".join(str(v) for v in row)
                raise InvalidInput(
                    f"{self.name}: line {again + line_offset} repeats ({values}) of line "
                    f"{first + line_offset}; one row per ({', '.join(self.key)}): "
                    "a stock is a level, not a flow to add up",
                    field=self.key[-1],
                )
        return out

    def doc_rows(self) -> list[dict[str, str]]:
        """Rows for the documentation table (column, type, unit, 설명, description)."""
        return [
            {"column": c.name, "type": str(c.dtype), "unit": c.unit, "ko": c.ko, "en": c.en}
            for c in self.columns
        ]


def _vol(name: str, unit: str, ko: str, en: str) -> Column:
    return Column(name, pl.Float64, unit, ko, en, non_negative=True)


_PROV = Column(
    "provenance", pl.String, "-", "출처 (sample = 생성 자료)", "source; 'sample' if generated"
)

CRUDE_IMPORTS = TableSchema(
    "crude_imports",
    "원유 도입 (원산지·월별)",
    "Crude imports by origin and month",
    (
        Column("month", pl.Date, "-", "월 (1일)", "month (first day)"),
        Column("origin", pl.String, "-", "원산지 국가", "origin country"),
        Column("region", pl.String, "-", "지역", "region (middle_east, americas, ...)"),
        _vol("volume_kbbl", "kbbl", "도입량", "volume imported"),
        _PROV,
    ),
)

PRODUCT_TRADE = TableSchema(
    "product_trade",
    "석유제품 수출입 (월별)",
    "Petroleum product imports and exports by month",
    (
        Column("month", pl.Date, "-", "월", "month"),
        Column("product", pl.String, "-", "제품", "product"),
        _vol("imports_kt", "kt", "수입", "imports"),
        _vol("exports_kt", "kt", "수출", "exports"),
        _PROV,
    ),
)

REFINERY_RUNS = TableSchema(
    "refinery_runs",
    "정제 처리량 (월별)",
    "Refinery crude runs by month",
    (
        Column("month", pl.Date, "-", "월", "month"),
        _vol("runs_kbbl", "kbbl", "원유 처리량", "crude runs"),
        _PROV,
    ),
)

DEMAND = TableSchema(
    "demand",
    "석유 수요 (제품·월별)",
    "Domestic oil demand by product and month",
    (
        Column("month", pl.Date, "-", "월", "month"),
        Column("product", pl.String, "-", "제품", "product"),
        _vol("demand_kbbl", "kbbl", "내수", "domestic demand"),
        _PROV,
    ),
)

STOCKS = TableSchema(
    "stocks",
    "석유 재고 (정부·민간, 월말)",
    "Oil stocks at month end by holder",
    (
        Column("month", pl.Date, "-", "월", "month"),
        Column("holder", pl.String, "-", "보유주체 (government/private)", "holder"),
        _vol("crude_kt", "kt", "원유 재고", "crude stocks"),
        _vol("products_kt", "kt", "제품 재고", "product stocks"),
        _PROV,
    ),
    key=("month", "holder"),
)

PROCUREMENT = TableSchema(
    "procurement",
    "대체 물량 확보 (계약 대비 도입)",
    "Alternative procurement, contracted vs arrived",
    (
        Column("batch", pl.String, "-", "차수 (특사단)", "envoy batch"),
        Column("sources", pl.String, "-", "공급국", "supplying countries"),
        Column("commodity", pl.String, "-", "유종 (원유/나프타)", "commodity (crude/naphtha)"),
        Column("unit", pl.String, "-", "단위", "unit (bbl or t)"),
        _vol("contracted", "unit", "확보(계약) 물량", "volume secured"),
        _vol("arrived", "unit", "도입 완료 물량", "volume arrived"),
        Column("as_of", pl.Date, "-", "기준일", "as of"),
        _PROV,
    ),
)

STOCK_DAYS_PUBLISHED = TableSchema(
    "stock_days_published",
    "공표 비축일수",
    "Published stock days (IEA basis)",
    (
        Column("as_of", pl.Date, "-", "기준일", "as of"),
        Column("basis_year", pl.Int32, "-", "기준 순수입 연도", "net-import basis year"),
        _vol("government_days", "day", "정부 비축일수", "government days"),
        _vol("private_days", "day", "민간 비축일수", "private days"),
        _vol("total_days", "day", "합계", "total days"),
        _vol("daily_net_imports_kt", "kt/d", "일평균 순수입", "daily net imports"),
        _PROV,
    ),
)

MIDDLE_EAST_SHARE = TableSchema(
    "middle_east_share",
    "원유 도입 중동 비중",
    "Middle-East share of crude imports",
    (
        Column("period", pl.String, "-", "기간", "period"),
        _vol("share", "/1", "중동 비중", "Middle-East share"),
        _PROV,
    ),
)

ALL_TABLES: tuple[TableSchema, ...] = (
    CRUDE_IMPORTS,
    PRODUCT_TRADE,
    REFINERY_RUNS,
    DEMAND,
    STOCKS,
    PROCUREMENT,
    STOCK_DAYS_PUBLISHED,
    MIDDLE_EAST_SHARE,
)
