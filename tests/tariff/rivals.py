"""The measure files of Korea's competitors (T-RIVALS), named once for the tests that set them
apart from Korea's records."""

RIVAL_FILES = (
    "ieepa_jp.yaml",
    "ieepa_eu.yaml",
    "ieepa_cn.yaml",
    "ieepa_ca_mx.yaml",
    "s301_china.yaml",
    "s232_deals_jp_eu.yaml",
    "s301_forced_labor_rivals.yaml",
)
