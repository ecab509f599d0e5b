"""비축 확충 Stockpile plans: reserve storage by date, international joint stockpiling records."""
