"""비축유 SWAP ledger: reserve-oil loans against confirmed cargoes (service, guard, checks, queries)."""
