"""Every write of market listening: posts, brands, analyses, themes, labels, classifiers.

One module per subject; everything public is re-exported here, so callers write
`from execution2.listening.services import analysis_run`.
"""

from execution2.analytics.listening.sentiment import MIN_LABELS
from execution2.listening.services.analysis import analysis_run, classifier_in_use
from execution2.listening.services.brands import (
    brand_delete,
    brand_save,
    brand_specs,
    parse_aliases,
)
from execution2.listening.services.labels import (
    LABEL_WORDS,
    LabelsImportResult,
    classifier_train,
    id_key,
    label_set,
    labels_import,
    listening_reset,
    text_key,
)
from execution2.listening.services.posts import posts_import
from execution2.listening.services.themes import (
    theme_link,
    theme_merge,
    theme_pin,
    theme_rename,
)

__all__ = [
    "LABEL_WORDS",
    "MIN_LABELS",
    "LabelsImportResult",
    "analysis_run",
    "brand_delete",
    "brand_save",
    "brand_specs",
    "classifier_in_use",
    "classifier_train",
    "id_key",
    "label_set",
    "labels_import",
    "listening_reset",
    "parse_aliases",
    "posts_import",
    "text_key",
    "theme_link",
    "theme_merge",
    "theme_pin",
    "theme_rename",
]
