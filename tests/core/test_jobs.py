"""Long work submitted from a page runs as a job and records how it ended."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execution2.config import tasks
from execution2.core.jobs import job_handler, job_progress, job_submit, upload_dir
from execution2.core.models import JobStatus
from execution2.orgs.models import Person


def upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Submit a people import of the given text and return the job once it has run."""

    def run(org, text: str, name: str = "people.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_submit(
                organization=org,
                kind="people.import",
                label="Import people",
                params={},
                actor=None,
                upload=upload(text, name),
            )
        job.refresh_from_db()
        return job

    return run


def test_a_submitted_import_runs_and_records_its_counts(make_org, small_org_csv, run_import):
    org = make_org()
    job = run_import(org, small_org_csv)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["created"] == 6
    assert job.message.startswith("6 people in the file: 6 created")
    assert Person.objects.filter(organization=org).count() == 6
    assert not upload_dir(job.id).exists()
    assert job_progress(job) == {}


def test_a_refused_import_fails_with_the_same_problem_lines_as_the_command_line(
    make_org, run_import
):
    job = run_import(make_org(), "id,name,unit,manager_id\n1,Ann,Ops,\n2,Ben,Ops,9\n", "hris.csv")
    assert job.status == JobStatus.FAILED
    assert job.problems == ["hris.csv:3:manager_id: manager id '9' is not an id in this file"]
    assert job.message == "1 problem(s); nothing was imported."
    assert Person.objects.count() == 0


def test_an_unexpected_error_fails_the_job_with_a_plain_message(
    make_org, django_capture_on_commit_callbacks, caplog
):
    @job_handler("test.explode")
    def explode(job, progress):
        raise ZeroDivisionError("internal detail")

    org = make_org()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(organization=org, kind="test.explode", label="x", params={}, actor=None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "internal detail" not in job.message
    assert "failed unexpectedly" in job.message
    assert "internal detail" in caplog.text


def test_an_unknown_kind_of_job_is_refused(make_org):
    with pytest.raises(ValueError, match="no job handler"):
        job_submit(organization=make_org(), kind="nope", label="x", params={}, actor=None)


@pytest.mark.django_db(transaction=True)
def test_the_embedded_worker_runs_jobs_in_a_background_thread(make_org, small_org_csv, tmp_path):
    huey = tasks.huey
    huey.immediate = False
    from huey.storage import SqliteStorage

    real_storage = huey.storage
    huey.storage = SqliteStorage(name="test", filename=str(tmp_path / "jobs.sqlite3"))
    consumer = tasks.embedded_consumer_start(workers=1)
    try:
        org = make_org()
        job = job_submit(
            organization=org,
            kind="people.import",
            label="Import people",
            params={},
            actor=None,
            upload=upload(small_org_csv),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.05)
        assert job.status == JobStatus.SUCCEEDED
        assert Person.objects.filter(organization=org).count() == 6
    finally:
        consumer.stop(graceful=True)
        huey.storage = real_storage
        huey.immediate = True


def test_a_job_whose_worker_died_is_failed_as_interrupted_and_can_be_retried_once(
    make_org, small_org_csv, django_capture_on_commit_callbacks
):
    from execution2.core.jobs import job_retry, jobs_reap_interrupted, upload_store
    from execution2.core.models import Job

    org = make_org()
    job = Job.objects.create(
        organization=org, kind="people.import", label="Import people", params={}
    )
    job.params = {"path": upload_store(job.id, upload(small_org_csv)), "file_name": "people.csv"}
    # A worker on this host whose process no longer exists (pid beyond pid_max).
    import socket

    job.status = JobStatus.RUNNING
    job.worker = f"{socket.gethostname()}:99999999"
    job.save()
    assert [reaped.pk for reaped in jobs_reap_interrupted()] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.interrupted
    assert "Retry it" in job.message
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        retry = job_retry(job=job, actor=None)
    retry.refresh_from_db()
    assert retry.status == JobStatus.SUCCEEDED
    assert Person.objects.filter(organization=org).count() == 6
    with pytest.raises(ValueError, match="retried already"):
        job_retry(job=job, actor=None)


def test_a_running_job_of_a_live_worker_is_left_alone(make_org):
    from execution2.core.jobs import jobs_reap_interrupted, worker_id
    from execution2.core.models import Job

    job = Job.objects.create(
        organization=make_org(),
        kind="people.import",
        label="x",
        status=JobStatus.RUNNING,
        worker=worker_id(),
    )
    assert jobs_reap_interrupted() == []
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
