"""Pages of market listening (URLs in urls.py): members read, admins manage."""

from execution2.listening.views.manage import analyze, brands, labels, posts_import
from execution2.listening.views.pages import overview, spikes, theme, themes

__all__ = [
    "analyze",
    "brands",
    "labels",
    "overview",
    "posts_import",
    "spikes",
    "theme",
    "themes",
]
