"""Sentiment of posts: a lexicon baseline that needs no training, and a classifier trained on
an organization's own labelled posts that takes over once it beats the baseline.

The baseline is VADER (vaderSentiment ships its lexicon; Hutto & Gilbert, ICWSM 2014), with
the authors' thresholds: compound ≥ 0.05 positive, ≤ -0.05 negative, else neutral. The trained
classifier is a logistic regression over TF-IDF word uni- and bigrams plus VADER's own four
scores, so it starts from what the lexicon knows and learns the organization's vocabulary (a
brand's product names, sarcasm, "no signal") and where the class borders lie. It is compared
to the baseline by stratified k-fold cross-validation on the same labelled posts.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

LABELS = ("negative", "neutral", "positive")
CODES = {"negative": -1, "neutral": 0, "positive": 1}
THRESHOLD = 0.05
_ANALYZER: Any = None


def _analyzer() -> Any:
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER


def lexicon_scores(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """VADER's (neg, neu, pos, compound) per text, as an (n x 4) array."""
    analyzer = _analyzer()
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for index, text in enumerate(texts):
        if not text:
            out[index, 1] = 1.0
            continue
        scores = analyzer.polarity_scores(text)
        out[index] = (scores["neg"], scores["neu"], scores["pos"], scores["compound"])
    return out


_SHARED_TEXTS: Sequence[str] = ()


def _range_scores(bounds: tuple[int, int]) -> npt.NDArray[np.float32]:
    # Runs in a forked worker: the texts came with the fork, only the bounds are sent.
    return lexicon_scores(_SHARED_TEXTS[bounds[0] : bounds[1]])


class LexiconScoring:
    """VADER over worker processes, started now and collected with `result()`, so that the
    calling process can do other work (the themes) while the workers score."""

    def __init__(
        self, texts: Sequence[str], *, workers: int | None = None, chunk: int = 20_000
    ) -> None:
        global _SHARED_TEXTS
        self._texts = texts
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Any] = []
        workers = workers or os.cpu_count() or 1
        if workers <= 1 or len(texts) < 2 * chunk:
            return
        import multiprocessing

        # Load the lexicon here, before forking: the workers inherit it and never import
        # anything themselves (an import in a child forked from a threaded server could wait
        # forever on a lock another thread held at the fork).
        _analyzer()
        _SHARED_TEXTS = texts
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork")
        )
        self._futures = [
            self._pool.submit(_range_scores, (start, min(start + chunk, len(texts))))
            for start in range(0, len(texts), chunk)
        ]

    def result(self) -> npt.NDArray[np.float32]:
        global _SHARED_TEXTS
        if self._pool is None:
            return lexicon_scores(self._texts)
        try:
            parts = [future.result() for future in self._futures]
        finally:
            self._pool.shutdown()
            self._pool = None
            _SHARED_TEXTS = ()
        return np.concatenate(parts) if parts else np.zeros((0, 4), dtype=np.float32)


def lexicon_scores_parallel(
    texts: Sequence[str], *, workers: int | None = None, chunk: int = 20_000
) -> npt.NDArray[np.float32]:
    """The same as `lexicon_scores`, spread over processes (VADER is pure Python)."""
    return LexiconScoring(texts, workers=workers, chunk=chunk).result()


def lexicon_labels(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.int8]:
    """-1, 0, 1 from the compound score (column 3) with VADER's ±0.05 thresholds."""
    compound = scores[:, 3]
    labels = np.zeros(len(compound), dtype=np.int8)
    labels[compound >= THRESHOLD] = 1
    labels[compound <= -THRESHOLD] = -1
    return labels


def codes_from_labels(labels: Sequence[str]) -> npt.NDArray[np.int8]:
    return np.array([CODES[label] for label in labels], dtype=np.int8)


def net_sentiment(positive: float, negative: float) -> float | None:
    """(pos - neg) / (pos + neg), from -1 to 1; None when there is neither."""
    total = positive + negative
    return None if total <= 0 else (positive - negative) / total


class SentimentClassifier:
    """TF-IDF words + VADER scores -> logistic regression, three classes (-1, 0, 1)."""

    def __init__(self, *, seed: int = 0, max_features: int = 50_000) -> None:
        self.seed = seed
        self.max_features = max_features
        self.vectorizer: Any = None
        self.model: Any = None

    def _features(self, texts: Sequence[str], lexicon: npt.NDArray[np.float32], fit: bool) -> Any:
        if fit:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vectorizer = TfidfVectorizer(
                ngram_range=(1, 2),
                min_df=2,
                max_features=self.max_features,
                sublinear_tf=True,
                lowercase=True,
                token_pattern=r"(?u)[@#]?\b\w[\w']*\b|[!?]+|[:;]-?[()DP]",
                dtype=np.float32,
            )
            words = self.vectorizer.fit_transform(texts)
        else:
            words = self.vectorizer.transform(texts)
        extra = np.column_stack(
            [lexicon, lexicon[:, 3:4] >= THRESHOLD, lexicon[:, 3:4] <= -THRESHOLD]
        )
        return sparse.hstack([words, sparse.csr_matrix(extra.astype(np.float32) * 2.0)]).tocsr()

    def fit(
        self,
        texts: Sequence[str],
        labels: npt.NDArray[np.int8],
        lexicon: npt.NDArray[np.float32] | None = None,
    ) -> SentimentClassifier:
        from sklearn.linear_model import LogisticRegression

        lexicon = lexicon_scores(texts) if lexicon is None else lexicon
        features = self._features(texts, lexicon, fit=True)
        self.model = LogisticRegression(C=2.0, max_iter=2000)
        self.model.fit(features, labels)
        return self

    def predict_proba(
        self, texts: Sequence[str], lexicon: npt.NDArray[np.float32] | None = None
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
        """Labels (-1, 0, 1) and the probability of the chosen label."""
        if self.model is None:
            raise ValueError("the classifier has not been trained")
        lexicon = lexicon_scores(texts) if lexicon is None else lexicon
        probabilities = self.model.predict_proba(self._features(texts, lexicon, fit=False))
        classes = np.asarray(self.model.classes_, dtype=np.int8)
        best = probabilities.argmax(axis=1)
        return classes[best], probabilities.max(axis=1).astype(np.float32)

    def predict(
        self, texts: Sequence[str], lexicon: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.int8]:
        return self.predict_proba(texts, lexicon)[0]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump({"seed": self.seed, "vectorizer": self.vectorizer, "model": self.model}, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentimentClassifier:
        # Only ever our own files, written by `to_bytes` under the organization's data folder.
        state = pickle.loads(data)
        classifier = cls(seed=state["seed"])
        classifier.vectorizer = state["vectorizer"]
        classifier.model = state["model"]
        return classifier


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Cross-validated accuracy and macro-F1 of the trained classifier and of the lexicon."""

    n: int
    folds: int
    trained_accuracy: float
    lexicon_accuracy: float
    trained_macro_f1: float
    lexicon_macro_f1: float
    class_counts: dict[str, int]

    @property
    def trained_wins(self) -> bool:
        return self.trained_accuracy > self.lexicon_accuracy

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "folds": self.folds,
            "trained_accuracy": round(self.trained_accuracy, 4),
            "lexicon_accuracy": round(self.lexicon_accuracy, 4),
            "trained_macro_f1": round(self.trained_macro_f1, 4),
            "lexicon_macro_f1": round(self.lexicon_macro_f1, 4),
            "class_counts": self.class_counts,
            "trained_wins": self.trained_wins,
        }


MIN_LABELS = 30


def evaluate(
    texts: Sequence[str],
    labels: npt.NDArray[np.int8],
    *,
    folds: int = 5,
    seed: int = 0,
    lexicon: npt.NDArray[np.float32] | None = None,
) -> Evaluation:
    """Stratified k-fold accuracy of the trained classifier against the lexicon, same posts."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    if len(texts) < MIN_LABELS:
        raise ValueError(f"at least {MIN_LABELS} labelled posts are needed; there are {len(texts)}")
    counts = {name: int((labels == CODES[name]).sum()) for name in LABELS}
    present = [c for c in counts.values() if c > 0]
    if len(present) < 2:
        raise ValueError("the labelled posts need at least two different labels")
    folds = max(2, min(folds, min(present)))
    lexicon = lexicon_scores(texts) if lexicon is None else lexicon
    baseline = lexicon_labels(lexicon)
    predicted = np.zeros(len(texts), dtype=np.int8)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    text_array = np.asarray(texts, dtype=object)
    for train, test in splitter.split(text_array, labels):
        model = SentimentClassifier(seed=seed).fit(
            list(text_array[train]), labels[train], lexicon[train]
        )
        predicted[test] = model.predict(list(text_array[test]), lexicon[test])
    return Evaluation(
        n=len(texts),
        folds=folds,
        trained_accuracy=float(accuracy_score(labels, predicted)),
        lexicon_accuracy=float(accuracy_score(labels, baseline)),
        trained_macro_f1=float(f1_score(labels, predicted, average="macro", labels=[-1, 0, 1])),
        lexicon_macro_f1=float(f1_score(labels, baseline, average="macro", labels=[-1, 0, 1])),
        class_counts=counts,
    )
