"""The demo's conversations: brands, spikes, labels and a trained classifier, twice over."""

from __future__ import annotations

from execution2.analytics.synth import generate_organization
from execution2.listening.demo import demo_extend
from execution2.listening.models import AnalysisRun, Brand, SentimentLabel, SentimentModel


def test_the_demo_step_builds_listening_and_can_run_again(make_org):
    organization = make_org("demo")
    company = generate_organization(people=40, seed=3)
    summary = demo_extend(
        organization=organization,
        company=company,
        seed=3,
        listening_posts=4000,
        listening_labels=1200,
    )
    assert summary.startswith("Listening: 4,000 posts about")
    assert Brand.objects.filter(organization=organization).count() == 4
    assert Brand.objects.get(organization=organization, own=True).name == company.name.split()[0]
    assert SentimentLabel.objects.filter(organization=organization).count() == 1200
    model = SentimentModel.objects.get(organization=organization)
    assert model.in_use
    assert model.trained_accuracy > model.lexicon_accuracy
    run = AnalysisRun.objects.get(organization=organization)
    assert run.sentiment_source == "trained"
    assert len([s for s in run.summary["spikes"] if s["series"] == "all"]) >= 2
    again = demo_extend(
        organization=organization,
        company=company,
        seed=3,
        listening_posts=4000,
        listening_labels=1200,
    )
    assert again == summary
    assert AnalysisRun.objects.filter(organization=organization).count() == 1
