"""최고가격제·유류세 Fuel prices: the fuel-tax table, the maximum-price caps and their reset rule."""
