"""Stored allocation plans key their ward coverage by GSS code (was the ward's row id)."""

from django.db import migrations


def by_gss(apps, schema_editor):
    Plan, Ward = apps.get_model("brokerage", "AllocationPlan"), apps.get_model("brokerage", "Ward")
    wards = {str(w.pk): w for w in Ward.objects.all()}
    for plan in Plan.objects.exclude(ward_coverage={}):
        if all(key in wards for key in plan.ward_coverage):
            plan.ward_coverage = {
                wards[key].gss_code: {"ward": wards[key].name, **cover}
                for key, cover in plan.ward_coverage.items()
            }
            plan.save(update_fields=["ward_coverage"])


def by_id(apps, schema_editor):
    Plan, Ward = apps.get_model("brokerage", "AllocationPlan"), apps.get_model("brokerage", "Ward")
    wards = {w.gss_code: w for w in Ward.objects.all()}
    for plan in Plan.objects.exclude(ward_coverage={}):
        if all(key in wards for key in plan.ward_coverage):
            plan.ward_coverage = {
                str(wards[key].pk): {k: v for k, v in cover.items() if k != "ward"}
                for key, cover in plan.ward_coverage.items()
            }
            plan.save(update_fields=["ward_coverage"])


class Migration(migrations.Migration):
    dependencies = [("brokerage", "0010_match_extension")]
    operations = [migrations.RunPython(by_gss, by_id)]
