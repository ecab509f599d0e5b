"""Opinet- and Tankerkönig-style files: read, and refused with field and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiro.core.errors import InvalidInput
from tiro.energy.stations.io import (
    read_opinet_prices,
    read_opinet_stations,
    read_tankerkoenig_prices,
    read_tankerkoenig_stations,
)

STATIONS = """UNI_ID,POLL_DIV_CD,OS_NM,VAN_ADR,SIDO,SIGUNGU,GIS_X_COOR,GIS_Y_COOR,SELF_YN,OPEN_DE,FAKE_DE
A0000001,SKE,중앙주유소,서울 중구 1,서울,중구,309910.14,552073.35,Y,20100101,
A0000002,GSC,남산주유소,서울 중구 2,서울,중구,400000,600000,N,,20240501
"""
PRICES = """TRADE_DT,UNI_ID,PRODCD,PRICE
20260525,A0000001,B027,1899
20260525,A0000001,D047,1799
20260525,A0000002,B027,1950
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_opinet_stations_and_prices(tmp_path: Path) -> None:
    stations = read_opinet_stations(_write(tmp_path, "s.csv", STATIONS))
    assert stations["station_id"].to_list() == ["A0000001", "A0000002"]
    assert stations["lat"][0] == pytest.approx(37.5665, abs=1e-6)  # inverse of the test point
    assert stations["lon"][0] == pytest.approx(126.9780, abs=1e-6)
    assert stations["self_service"].to_list() == [True, False]
    assert str(stations["last_fake_fuel"][1]) == "2024-05-01"
    assert stations["last_fake_fuel"][0] is None
    prices = read_opinet_prices(_write(tmp_path, "p.csv", PRICES), stations)
    assert prices["product"].to_list() == ["gasoline", "diesel", "gasoline"]
    assert prices["price"].sum() == 1899 + 1799 + 1950


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        (PRICES.replace("TRADE_DT,", "DAY,"), "TRADE_DT", None),
        (PRICES.replace("1799", "-5"), "price", "line 3"),
        (PRICES.replace("1950", "abc"), "PRICE", "line 4"),
        (PRICES.replace("D047", "X999"), "PRODCD", "line 3"),
        (PRICES.replace("20260525,A0000002", "20260525,A0000009"), "UNI_ID", "line 4"),
        (
            PRICES.replace("20260525,A0000001,D047", "2026-05-25,A0000001,D047"),
            "TRADE_DT",
            "line 3",
        ),
        (PRICES.replace("1950", "nan"), "PRICE", "line 4"),
    ],
)
def test_bad_price_files_name_field_and_line(
    tmp_path: Path, text: str, field: str, line: str | None
) -> None:
    stations = read_opinet_stations(_write(tmp_path, "s.csv", STATIONS))
    with pytest.raises(InvalidInput) as err:
        read_opinet_prices(_write(tmp_path, "p.csv", text), stations)
    assert err.value.field == field
    if line:
        assert err.value.message.startswith(line + ":")


def test_station_outside_korea_and_repeated_ids_are_refused(tmp_path: Path) -> None:
    far = STATIONS.replace("400000,600000", "400000,9600000")
    with pytest.raises(InvalidInput) as err:
        read_opinet_stations(_write(tmp_path, "s.csv", far))
    assert err.value.field == "GIS_Y_COOR" and "line 3" in err.value.message
    twice = STATIONS.replace("A0000002", "A0000001")
    with pytest.raises(InvalidInput) as err:
        read_opinet_stations(_write(tmp_path, "s.csv", twice))
    assert err.value.field == "UNI_ID" and "line 3" in err.value.message


TK_STATIONS = """uuid,name,brand,street,house_number,post_code,city,latitude,longitude
u1,Aral Mitte,ARAL,Hauptstr.,1,10115,Berlin,52.53,13.38
"""
TK_PRICES = """date,station_uuid,diesel,e5,e10,dieselchange,e5change,e10change
2024-01-01 06:00:00+01,u1,1.699,1.799,1.739,1,1,1
2024-01-01 18:30:00+01,u1,1.659,0.0,1.719,1,0,1
2024-01-02 07:00:00+01,u1,1.689,1.789,1.729,1,1,1
"""


def test_tankerkoenig_daily_last_price(tmp_path: Path) -> None:
    stations = read_tankerkoenig_stations(_write(tmp_path, "s.csv", TK_STATIONS))
    assert stations["address"][0] == "Hauptstr. 1, 10115 Berlin"
    prices = read_tankerkoenig_prices(_write(tmp_path, "p.csv", TK_PRICES), stations)
    rows = {(str(d), p): v for d, _, p, v in prices.iter_rows()}
    # day 1: diesel last change 1.659; e5 0.0 at 18:30 means "no price" → keeps 1.799
    assert rows[("2024-01-01", "diesel")] == 1.659
    assert rows[("2024-01-01", "gasoline")] == 1.799
    assert rows[("2024-01-02", "gasoline")] == 1.789
    assert len(rows) == 4


def test_tankerkoenig_unknown_station_names_the_line(tmp_path: Path) -> None:
    stations = read_tankerkoenig_stations(_write(tmp_path, "s.csv", TK_STATIONS))
    bad = TK_PRICES.replace("2024-01-02 07:00:00+01,u1", "2024-01-02 07:00:00+01,u2")
    with pytest.raises(InvalidInput) as err:
        read_tankerkoenig_prices(_write(tmp_path, "p.csv", bad), stations)
    assert err.value.field == "station_uuid" and err.value.message.startswith("line 4:")
