"""수급 현황 Supply: published figures and samples (figures), monthly balance, IEA stock cover."""
