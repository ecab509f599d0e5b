"""무역 통계 Trade statistics: vintaged flows, indicators, major items, nowcasts, FDI, programmes.

Engines are pure functions over Polars frames and a parameter tree; the CLI
(``tiro.cli.trade``), the API (``tiro.api.routers.trade``) and the page (``/trade``) are thin
shells over them.
"""
