"""`execution2 listen ...` as a new user runs it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from execution2.cli import cli
from execution2.listening.models import AnalysisRun, Brand, SentimentLabel, SentimentModel


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_import_name_brands_and_analyze_as_json(runner, make_org, conversations, tmp_path):
    talk, path = conversations
    make_org("acme")
    result = runner.invoke(cli, ["listen", "import", "--org", "acme", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{talk.table.num_rows:,} new" in result.output
    result = runner.invoke(
        cli, ["listen", "brand", "set", "Acme", "--org", "acme", "--own", "--alias", "#acme"]
    )
    assert result.exit_code == 0, result.output
    for name in talk.competitors:
        assert runner.invoke(cli, ["listen", "brand", "set", name, "--org", "acme"]).exit_code == 0
    result = runner.invoke(cli, ["listen", "analyze", "--org", "acme", "--json", "--themes", "8"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output[result.output.index("{") :])
    assert out["posts"] == talk.table.num_rows
    assert next(b["name"] for b in out["brands"]) == "Acme"
    assert out["themes"]
    assert out["spikes"]
    assert {"name", "terms", "posts", "net", "examples"} <= set(out["themes"][0])
    assert AnalysisRun.objects.count() == 1


def test_analyze_since_a_day_only_counts_later_posts(runner, listening_org):
    result = runner.invoke(cli, ["listen", "analyze", "--org", "acme", "--since", "2026-10-01"])
    assert result.exit_code == 0, result.output
    run = AnalysisRun.objects.first()
    assert 0 < run.posts < 3000
    assert run.summary["start"] >= "2026-10-01"


def test_a_bad_file_prints_every_problem_and_exits_2(runner, make_org, tmp_path):
    make_org("acme")
    bad = tmp_path / "bad.csv"
    bad.write_text("text,timestamp,channel\nhello,not a date,twitter\n,2026-01-01,forum\n")
    result = runner.invoke(cli, ["listen", "import", "--org", "acme", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:timestamp: 'not a date' is not a date and time" in result.output
    assert f"{bad}:3:text: the post has no text" in result.output


def test_label_import_trains_and_reports_both_accuracies(
    runner, listening_org, conversations, tmp_path
):
    talk, _ = conversations
    names = {-1: "negative", 0: "neutral", 1: "positive"}
    ids = talk.table.column("id").to_pylist()
    labels = tmp_path / "labels.csv"
    lines = ["id,label"] + [
        f"{ids[i]},{names[int(talk.true_sentiment[i])]}" for i in range(0, 3000, 3)
    ]
    labels.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["listen", "label", "import", "--org", "acme", str(labels)])
    assert result.exit_code == 0, result.output
    assert "Labels: 1,000 new" in result.output
    assert "trained" in result.output
    assert "lexicon" in result.output
    model = SentimentModel.objects.get()
    assert model.in_use
    assert model.trained_accuracy > model.lexicon_accuracy
    result = runner.invoke(cli, ["listen", "analyze", "--org", "acme"])
    assert "the classifier trained on your labels" in result.output


def test_label_import_refuses_unknown_ids_and_labels(runner, listening_org, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("id,label\np1,positive\nnope,negative\np2,great\n")
    result = runner.invoke(cli, ["listen", "label", "import", "--org", "acme", str(labels)])
    assert result.exit_code == 2
    assert f"{labels}:3:id: no imported post has the id 'nope'" in result.output
    assert f"{labels}:4:label: 'great' is not negative, neutral or positive" in result.output
    assert SentimentLabel.objects.count() == 0


def test_labels_by_text_need_no_imported_post(runner, make_org, tmp_path):
    make_org("acme")
    labels = tmp_path / "labels.csv"
    labels.write_text("text,label\ngreat stuff,positive\nawful,negative\ngreat  STUFF,neutral\n")
    result = runner.invoke(
        cli, ["listen", "label", "import", "--org", "acme", "--no-train", str(labels)]
    )
    assert result.exit_code == 0, result.output
    # The same text (whatever its spacing and case) is one post: the last label wins.
    assert sorted(SentimentLabel.objects.values_list("label", flat=True)) == ["negative", "neutral"]


def test_brands_can_be_listed_and_removed(runner, make_org):
    make_org("acme")
    runner.invoke(cli, ["listen", "brand", "set", "Acme", "--org", "acme", "--own"])
    assert "Acme\town" in runner.invoke(cli, ["listen", "brand", "list", "--org", "acme"]).output
    assert runner.invoke(cli, ["listen", "brand", "remove", "acme", "--org", "acme"]).exit_code == 0
    assert not Brand.objects.exists()
    assert runner.invoke(cli, ["listen", "brand", "remove", "acme", "--org", "acme"]).exit_code == 2


def test_analyze_before_any_import_says_what_to_do(runner, make_org):
    make_org("acme")
    result = runner.invoke(cli, ["listen", "analyze", "--org", "acme"])
    assert result.exit_code == 2
    assert "no conversations yet" in result.output
    assert "listen import --org acme" in result.output
