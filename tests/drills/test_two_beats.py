"""Drill: two beat schedulers run at once (a duplicated deployment) while work keeps coming.

Two `celery beat` processes each fire the sweep every second into two workers, while
agents keep creating requests whose first notice is already due. Every notice goes out
exactly once: the sweeps skip each other's locked rows, the unique (request, milestone)
row is never created twice and delivery claims each row before sending.
"""

import pytest

from tests.drills.harness import wait_until

pytestmark = pytest.mark.postgres

WAVES, PER_WAVE = 6, 10


def test_two_beats_at_once_every_notice_once(drill, mail, tmp_path):
    workers = [drill.worker(f"worker-{i}", wait=False) for i in (1, 2)]
    for w in workers:
        w.wait_for_log(r"ready\.", timeout=60)
    beats = [
        drill.start(
            f"beat-{i}",
            [
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(tmp_path / f"beat-{i}-schedule"),
            ],
            DRILL_SWEEP_EVERY=1,
        )
        for i in (1, 2)
    ]
    seeder = drill.start(
        "seeder",
        ["-m", "tests.drills.seed", str(PER_WAVE), f"--waves={WAVES}", "--interval=1.5"],
    )
    assert seeder.popen.wait(90) == 0, seeder.log()
    total = WAVES * PER_WAVE

    def swept_everything():
        live = [n for n in drill.db.notices() if n["status"] not in ("cancelled", "superseded")]
        return len(live) == total and live

    wait_until(swept_everything, timeout=60, what="the beats' sweeps to create every notice")
    for beat in beats:
        assert beat.log().count("Sending due task tracker-sweep") >= 5, beat.log()
        beat.stop()

    def all_sent():
        live = [n for n in drill.db.notices() if n["status"] not in ("cancelled", "superseded")]
        return all(n["status"] == "sent" for n in live) and live

    sent = wait_until(all_sent, timeout=90, what="every notice to be sent")
    assert len({n["request_id"] for n in sent}) == total
    assert mail.per_notice() == {n["id"]: 1 for n in sent}
    assert mail.count() == total
    # Both workers ran sweeps: the two schedulers' sweeps really did overlap.
    for w in workers:
        assert "tracker.tasks.sweep" in w.log() and "succeeded" in w.log()
