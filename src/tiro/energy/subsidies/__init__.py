"""수입 보조금 Import subsidies: the freight-differential refund, the naphtha differential, the claims ledger."""
