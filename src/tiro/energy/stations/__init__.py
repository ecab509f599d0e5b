"""Filling stations (주유소): registry, daily prices, regional averages and the good-station finder.

Static attributes (a station's place, brand, years operating) are kept apart from its daily
prices (STYLE §8); both tables are declared once in :mod:`tiro.energy.stations.schema`.
"""
