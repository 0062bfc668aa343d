"""Each office's committee, from the two customer flags it replaces (M22).

Every office with a customer flagged as an owners' committee member or a customer representative
gets its committee, and each flagged customer a seat from today with no end of term (the flags
never said when a term began or ends). Runs before the customers' migration that removes the
flags, so today's data is kept."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Committee = apps.get_model("committee", "Committee")
    Seat = apps.get_model("committee", "Seat")
    Office = apps.get_model("org", "Office")
    today = timezone.localdate()
    flagged = Customer.objects.filter(is_committee_member=True) | Customer.objects.filter(
        is_representative=True
    )
    office_ids = sorted(set(flagged.values_list("office_id", flat=True)))
    for office in Office.objects.filter(pk__in=office_ids).order_by("pk"):
        committee, _created = Committee.objects.get_or_create(
            office=office,
            defaults={"name": f"{office.name}业主委员会", "established_on": today},
        )
        seats = []
        for customer in flagged.filter(office=office).order_by("pk"):
            if customer.is_committee_member:
                seats.append(
                    Seat(
                        committee=committee,
                        office=office,
                        customer=customer,
                        kind="member",
                        role="member",
                        term_from=today,
                    )
                )
            if customer.is_representative:
                seats.append(
                    Seat(
                        committee=committee,
                        office=office,
                        customer=customer,
                        kind="representative",
                        role="representative",
                        term_from=today,
                    )
                )
        Seat.objects.bulk_create(seats)


def backwards(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Seat = apps.get_model("committee", "Seat")
    for kind, flag in (("member", "is_committee_member"), ("representative", "is_representative")):
        ids = Seat.objects.filter(kind=kind).values_list("customer_id", flat=True)
        Customer.objects.filter(pk__in=list(ids)).update(**{flag: True})


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0001_initial"),
        ("customers", "0004_customer_version"),
        ("org", "0004_staff_tokens_and_sign_in_audit"),
    ]
    # The flags this reads are removed by the customers' next migration.
    run_before = [("customers", "0005_remove_committee_flags")]

    operations = [migrations.RunPython(forwards, backwards)]
