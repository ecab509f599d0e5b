"""Display names (Korean first, English beside) for partner groups, group sets and items.

Names come from the parameter labels, so a screen never shows a bare key like
``latin_america``. An item's HS-approximation leaf is labelled "반도체 (HS 근사)"; the item's
own name is that label without the trailing basis note, which every screen shows apart.
"""

from __future__ import annotations

import re

from tiro.core.parameters import ParameterTree
from tiro.trade.items import HS_PREFIX
from tiro.trade.partner_groups import GROUP_PREFIX, OTHER, SET_PREFIX, group_names, set_names

_BASIS_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
OTHER_LABEL = {"ko": "기타", "en": "Other"}


def _label(params: ParameterTree, path: str, name: str) -> dict[str, str]:
    label = params.leaf(path).label or {}
    ko = _BASIS_NOTE.sub("", label.get("ko", name)) or name
    en = _BASIS_NOTE.sub("", label.get("en", name)).replace("_", " ") or name
    return {"ko": ko, "en": en[:1].upper() + en[1:]}


def display_labels(params: ParameterTree) -> dict[str, dict[str, dict[str, str]]]:
    """``{"partner_group": {key: {ko, en}}, "partner_group_set": {...}, "item": {...}}``."""
    groups = {n: _label(params, GROUP_PREFIX + n, n) for n in group_names(params)}
    items = {
        p.removeprefix(HS_PREFIX): _label(params, p, p.removeprefix(HS_PREFIX))
        for p in params.paths(HS_PREFIX)
    }
    return {
        "partner_group": {**groups, OTHER: OTHER_LABEL},
        "partner_group_set": {n: _label(params, SET_PREFIX + n, n) for n in set_names(params)},
        "item": items,
    }
