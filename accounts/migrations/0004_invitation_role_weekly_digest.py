from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_agency_working_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[("owner", "Owner"), ("member", "Member")], default="member", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="weekly_digest",
            field=models.BooleanField(
                default=True,
                help_text="A Monday e-mail of what is overdue, due this week and arrived.",
                verbose_name="weekly digest e-mail",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="calendar_confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
