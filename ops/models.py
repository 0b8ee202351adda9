from django.db import models


class TaskMetric(models.Model):
    """Counts and durations of background work, kept in the database so that every web
    server's /metrics reports the same figures whichever worker did the work.

    One row per (name, label): e.g. ("sweep", "") or ("notice_sent", "<milestone>").
    """

    name = models.CharField(max_length=40)
    label = models.CharField(max_length=60, blank=True)
    count = models.BigIntegerField(default=0)
    seconds_sum = models.FloatField(default=0.0)
    last_seconds = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "label"], name="one_metric_row")]

    def __str__(self) -> str:
        return f"{self.name}{{{self.label}}} = {self.count}"
