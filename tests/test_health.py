import pytest


@pytest.mark.django_db
def test_healthz_ok_when_database_and_broker_answer(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    from config.celery_app import app

    app.conf.broker_url = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "outbox": {"pending": 0, "failed": 0, "oldest_pending_age_seconds": None},
    }


@pytest.mark.django_db
def test_healthz_503_with_reason_when_broker_is_down(client, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "check_broker", lambda: "broker: ConnectionRefusedError: refused")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["broker: ConnectionRefusedError: refused"]


def test_healthz_503_when_database_is_down(client, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "check_database", lambda: "database: OperationalError: gone")
    monkeypatch.setattr(health, "check_broker", lambda: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database" in response.json()["problems"][0]
