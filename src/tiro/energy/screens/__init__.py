"""Market-order screens over station prices and sales: collusion (variance), Edgeworth cycles
(competitive, not flagged alone) and hoarding (매점매석). Each flag carries its reason."""
