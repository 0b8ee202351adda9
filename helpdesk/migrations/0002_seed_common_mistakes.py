"""The usual reasons a carrier does not comply (shared/domain.md, "The Help Desk").

Staff edit, reorder or retire them in the admin; this only gives a fresh install a list.
"""

from django.db import migrations

MISTAKES = [
    (
        "Wrong carrier",
        "The request went to a carrier that did not write the policy, often the parent group or "
        "an agency-billed program's administrator instead of the carrier of record.",
        "Check the declarations page: the carrier of record is the company named as insurer. "
        "Request from that company's loss-run department.",
    ),
    (
        "Wrong or incomplete policy number",
        "The carrier cannot find the policy: a digit is missing, a prefix or suffix was left "
        "off, or the number belongs to another term.",
        "Copy each policy number exactly as printed on the declarations page or bill, with "
        "prefixes and suffixes, for every term you request.",
    ),
    (
        "Unsigned authorization",
        "The loss-run authorization was sent without the insured's signature, or signed by "
        "someone who is not an officer or authorized signer of the named insured.",
        "Have an officer or authorized signer of the named insured sign the authorization, "
        "with name, title and date, and send it again.",
    ),
    (
        "Outdated authorization",
        "The signed authorization is too old for the carrier (many want it signed within the "
        "last 30 to 90 days) or names a different agency.",
        "Get a newly signed and dated authorization naming your agency as the recipient.",
    ),
    (
        "Proof of carrier does not cover the policy or term",
        "The declarations page, bill or prior loss run attached is for another policy, another "
        "insured or an older term than the one requested.",
        "Attach the most current declarations page or bill for each policy number and term on "
        "the request.",
    ),
    (
        "Sent to the wrong department",
        "The request went to underwriting, claims or a general mailbox instead of the "
        "carrier's loss-run department.",
        "Use the carrier's loss-run e-mail, fax or portal listed in the carrier directory.",
    ),
    (
        "Named insured does not match",
        "The insured's name on the request differs from the named insured on the policy "
        "(a DBA, a former name, or a related entity).",
        "Use the named insured exactly as it appears on the policy, adding the DBA if any.",
    ),
]


def seed(apps, schema_editor):
    CommonMistake = apps.get_model("helpdesk", "CommonMistake")
    if CommonMistake.objects.exists():
        return
    CommonMistake.objects.bulk_create(
        CommonMistake(title=t, explanation=e, what_to_do=w, ordering=(i + 1) * 10)
        for i, (t, e, w) in enumerate(MISTAKES)
    )


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
