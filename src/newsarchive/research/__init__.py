"""The researcher's bench: every match of a query out, attention over time, what a query is about.

Each module composes the store and the index behind their protocols, as ``query.py`` does;
``Archive`` is what calls them, and the faces call ``Archive``.
"""
