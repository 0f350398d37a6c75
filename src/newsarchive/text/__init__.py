"""Language-specific text rules that several layers share (the search analyzers, enrichment): pure functions."""
