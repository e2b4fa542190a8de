"""Themes keep their names, pins, merges and links through re-analyses; labels; brands."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from execution2.listening import selectors, services
from execution2.listening.links import opportunity_model
from execution2.listening.models import Brand, SentimentLabel, Theme


def test_a_renamed_pinned_and_linked_theme_survives_a_new_analysis(listening_org):
    theme = Theme.objects.filter(organization=listening_org, topic_index__isnull=False).first()
    services.theme_rename(organization=listening_org, theme=theme, name="Battery complaints")
    services.theme_pin(organization=listening_org, theme=theme, pinned=True)
    terms = list(theme.terms)
    services.analysis_run(organization=listening_org, n_themes=8)
    theme.refresh_from_db()
    assert theme.name == "Battery complaints"
    assert theme.pinned
    assert theme.topic_index is not None  # the same posts give the same topic again
    assert set(theme.terms[:5]) & set(terms[:5])


def test_merged_themes_count_as_one(listening_org):
    views = [v for v in selectors.theme_views(listening_org) if v.found]
    first, second = views[0], views[1]
    services.theme_merge(organization=listening_org, theme=second.theme, into=first.theme)
    merged = selectors.theme_view(listening_org, first.theme)
    assert merged.size == first.size + second.size
    assert merged.negative == first.negative + second.negative
    assert [t.pk for t in merged.merged] == [second.theme.pk]
    assert all(v.theme.pk != second.theme.pk for v in selectors.theme_views(listening_org))
    # Merging the target elsewhere takes its merged themes along: no chains.
    third = views[2]
    services.theme_merge(organization=listening_org, theme=first.theme, into=third.theme)
    second.theme.refresh_from_db()
    assert second.theme.merged_into_id == third.theme.pk
    with pytest.raises(ValidationError):
        services.theme_merge(organization=listening_org, theme=third.theme, into=second.theme)


def test_a_theme_links_only_to_an_opportunity_of_its_own_organization(listening_org, make_org):
    theme = Theme.objects.filter(organization=listening_org).first()
    with pytest.raises(ValidationError):
        services.theme_link(organization=listening_org, theme=theme, opportunity_id=999_999)
    model = opportunity_model()
    if model is None:
        pytest.skip("the plan app has no opportunities yet")
    other = make_org("other")
    foreign = model._default_manager.create(organization=other, key="x", title="Theirs")
    with pytest.raises(ValidationError):
        services.theme_link(organization=listening_org, theme=theme, opportunity_id=foreign.pk)
    ours = model._default_manager.create(
        organization=listening_org, key="green", title="Green buyers"
    )
    services.theme_link(organization=listening_org, theme=theme, opportunity_id=ours.pk)
    evidence = selectors.evidence_for_opportunity(listening_org, ours.pk)
    assert [v.theme.pk for v in evidence] == [theme.pk]
    assert evidence[0].opportunity == "Green buyers"


def test_spikes_name_the_themes_that_drove_them(listening_org):
    spikes = selectors.spikes(listening_org)
    assert spikes
    names = {t.name for t in Theme.objects.filter(organization=listening_org)}
    assert all(d["name"] in names for s in spikes for d in s["drivers"])


def test_a_label_from_the_page_needs_a_stored_post(listening_org):
    key = selectors.posts_to_label(listening_org, limit=1)[0]["key"]
    label = services.label_set(organization=listening_org, key=key, label="positive")
    again = services.label_set(organization=listening_org, key=key, label="negative")
    assert label.pk == again.pk
    assert again.label == "negative"
    assert selectors.posts_to_label(listening_org, limit=400)[0]["key"] != key
    with pytest.raises(ValidationError):
        services.label_set(organization=listening_org, key="nope", label="positive")
    assert SentimentLabel.objects.count() == 1


def test_training_needs_enough_labels(listening_org):
    with pytest.raises(ValidationError, match="at least 30"):
        services.classifier_train(organization=listening_org)


def test_brand_names_are_unique_whatever_their_case(listening_org):
    with pytest.raises(ValidationError):
        services.brand_save(organization=listening_org, name="ACME")
    brand = Brand.objects.get(organization=listening_org, name="Acme")
    services.brand_save(
        organization=listening_org, name="Acme", aliases=["Acme", " @acme "], own=True, brand=brand
    )
    brand.refresh_from_db()
    assert brand.aliases == ["@acme"]
    assert services.parse_aliases("a, b\nc,,a") == ["a", "b", "c"]
