"""The HTS schedule by revision (관세율표): column-1 rate text, cross-references, descriptions and the USITC import."""
