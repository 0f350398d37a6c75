"""newsarchive: crawled news pages in, a clean, deduplicated, searchable archive out."""
