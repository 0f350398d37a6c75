"""The web face: a FastAPI app serving the HTML UI and the JSON API over an ``Archive``."""

from newsarchive.web.app import create_app

__all__ = ["create_app"]
