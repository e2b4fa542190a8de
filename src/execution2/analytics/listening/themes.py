"""Themes found without labels: TF-IDF, then non-negative matrix factorisation.

Each topic is a weighted list of terms; a post belongs to the topic its TF-IDF vector is most
similar to (cosine against the topic's term weights), or to none when it is similar to none.
NMF is fitted on a sample (the topics of a million posts are the topics of a few hundred
thousand of them) and every post is assigned with one sparse product, so the cost stays linear.
Themes keep their identity across analyses by matching each new topic to the old theme with the
most similar terms (Hungarian assignment on cosine similarity), so names, pins, merges and links
to opportunities survive a re-run.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_']{2,}\b"
MIN_SIMILARITY = 0.05


@dataclass(frozen=True, slots=True)
class Topic:
    index: int
    terms: tuple[str, ...]  # the top terms, strongest first
    weights: tuple[float, ...]  # their weights, normalised to sum 1 over the kept terms
    size: int  # posts assigned
    examples: tuple[int, ...]  # row numbers of the posts most typical of it

    @property
    def name(self) -> str:
        return " · ".join(self.terms[:3])

    def term_weights(self) -> dict[str, float]:
        return dict(zip(self.terms, self.weights, strict=True))


@dataclass(frozen=True, slots=True)
class ThemeModel:
    topics: tuple[Topic, ...]
    assignment: npt.NDArray[np.int16]  # topic index per post, -1 for none
    strength: npt.NDArray[np.float32]  # the post's similarity to its topic


def discover_themes(
    texts: Sequence[str],
    *,
    n_themes: int = 20,
    seed: int = 0,
    stop_words: Iterable[str] = (),
    sample_size: int = 200_000,
    max_features: int = 30_000,
    top_terms: int = 12,
    examples: int = 5,
) -> ThemeModel:
    from sklearn.decomposition import MiniBatchNMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    n = len(texts)
    if n == 0:
        return ThemeModel((), np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.float32))
    extra = {w.casefold() for word in stop_words for w in word.replace("@", " ").split()}
    vectorizer = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(ENGLISH_STOP_WORDS | extra | {"amp", "http", "https", "www", "com"}),
        min_df=min(5, max(1, n // 1000)),
        max_df=0.5 if n >= 20 else 1.0,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no term survives: every post is empty or stop words
        return ThemeModel((), np.full(n, -1, dtype=np.int16), np.zeros(n, dtype=np.float32))
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    k = max(1, min(n_themes, matrix.shape[1] - 1, max(1, n // 5)))
    rng = np.random.default_rng(seed)
    fit_rows = rng.choice(n, size=sample_size, replace=False) if n > sample_size else None
    sample = matrix[np.sort(fit_rows)] if fit_rows is not None else matrix
    model = MiniBatchNMF(
        n_components=k,
        init="nndsvda",
        batch_size=2048,
        random_state=seed,
        max_iter=200,
        beta_loss="frobenius",
    )
    with warnings.catch_warnings():
        # A topic model need not converge to the last decimal to name the topics.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(sample)
    components = np.asarray(model.components_, dtype=np.float32)
    norms = np.linalg.norm(components, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit = components / norms
    similarity = np.asarray(matrix @ unit.T, dtype=np.float32)  # rows are L2-normalised already
    best = similarity.argmax(axis=1).astype(np.int16)
    strength = similarity[np.arange(n), best]
    best[strength < MIN_SIMILARITY] = -1
    topics = []
    sizes = np.bincount(best[best >= 0], minlength=k)
    for index in range(k):
        order = np.argsort(components[index])[::-1][:top_terms]
        weights = components[index][order]
        keep = weights > 0
        order, weights = order[keep], weights[keep]
        total = float(weights.sum()) or 1.0
        members = np.flatnonzero(best == index)
        typical = members[np.argsort(strength[members])[::-1]]
        topics.append(
            Topic(
                index=index,
                terms=tuple(str(t) for t in vocabulary[order]),
                weights=tuple(round(float(w) / total, 5) for w in weights),
                size=int(sizes[index]),
                examples=tuple(int(i) for i in _distinct(typical, texts, examples)),
            )
        )
    return ThemeModel(tuple(topics), best, strength)


def _distinct(rows: npt.NDArray[np.intp], texts: Sequence[str], limit: int) -> list[int]:
    """Typical posts with different texts (retweets and copies say nothing new)."""
    seen: set[str] = set()
    chosen: list[int] = []
    for row in rows:
        key = " ".join(str(texts[int(row)]).casefold().split())
        if key in seen:
            continue
        seen.add(key)
        chosen.append(int(row))
        if len(chosen) == limit:
            break
    return chosen


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    dot = sum(a[t] * b[t] for t in shared)
    norm = (sum(v * v for v in a.values()) ** 0.5) * (sum(v * v for v in b.values()) ** 0.5)
    return dot / norm if norm else 0.0


def match_topics(
    old: Sequence[dict[str, float]], new: Sequence[dict[str, float]], *, minimum: float = 0.3
) -> dict[int, int]:
    """new topic index -> old theme index, for pairs at least `minimum` cosine-similar."""
    if not old or not new:
        return {}
    from scipy.optimize import linear_sum_assignment

    scores = np.array([[_cosine(o, n) for n in new] for o in old])
    rows, columns = linear_sum_assignment(-scores)
    return {int(c): int(r) for r, c in zip(rows, columns, strict=True) if scores[r, c] >= minimum}
