"""Councils as first-class: wards, ward sets and organisations belong to one.

The ward's `lad_code` column stays and becomes the key of its council. Councils are created
for every local authority code already in use (the seven West Midlands councils by name, under
their combined authority); existing organisations are based where their home ward is, or else
in the one council already loaded (Coventry on every installation so far).
"""

import django.db.models.deletion
from django.db import migrations, models

import brokerage.models.wards

WEST_MIDLANDS = "E47000007"
KNOWN = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
COVENTRY = "E08000026"


def create_councils(apps, schema_editor):
    Council = apps.get_model("brokerage", "Council")
    Ward = apps.get_model("brokerage", "Ward")
    WardSet = apps.get_model("brokerage", "WardSet")
    Organisation = apps.get_model("brokerage", "Organisation")
    codes = set(Ward.objects.values_list("lad_code", flat=True))
    codes |= set(WardSet.objects.values_list("lad_code", flat=True))
    if Organisation.objects.exists():
        codes.add(COVENTRY if len(codes) != 1 else next(iter(codes)))
    region = None
    if codes & KNOWN.keys():
        region, _ = Council.objects.get_or_create(
            gss_code=WEST_MIDLANDS, defaults={"name": "West Midlands", "kind": "combined"}
        )
    for code in sorted(codes):
        Council.objects.get_or_create(
            gss_code=code,
            defaults={
                "name": KNOWN.get(code, code),
                "combined_authority": region if code in KNOWN else None,
            },
        )


def plans_in_their_council(apps, schema_editor):
    """Plans so far were Coventry's (the only council)."""
    AllocationPlan = apps.get_model("brokerage", "AllocationPlan")
    Council = apps.get_model("brokerage", "Council")
    if AllocationPlan.objects.exists():
        Council.objects.get_or_create(gss_code=COVENTRY, defaults={"name": KNOWN[COVENTRY]})
        AllocationPlan.objects.update(council_id=COVENTRY)


def base_organisations(apps, schema_editor):
    Organisation = apps.get_model("brokerage", "Organisation")
    Council = apps.get_model("brokerage", "Council")
    if not Organisation.objects.exists():
        return
    locals_ = list(Council.objects.filter(kind="local").values_list("gss_code", flat=True))
    fallback = locals_[0] if len(locals_) == 1 else COVENTRY
    for organisation in Organisation.objects.select_related("home_ward"):
        organisation.council_id = (
            organisation.home_ward.lad_code if organisation.home_ward_id else fallback
        )
        organisation.save(update_fields=["council"])


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0015_broker_queue_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Council",
            fields=[
                (
                    "gss_code",
                    models.CharField(
                        max_length=9,
                        primary_key=True,
                        serialize=False,
                        validators=[brokerage.models.wards.gss_code_validator],
                        verbose_name="GSS code",
                    ),
                ),
                (
                    "name",
                    models.CharField(help_text="As people say it, e.g. Coventry.", max_length=100),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("local", "Local authority"), ("combined", "Combined authority")],
                        default="local",
                        max_length=10,
                    ),
                ),
                (
                    "combined_authority",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"kind": "combined"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="constituents",
                        to="brokerage.council",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind", "local"), ("combined_authority__isnull", True), _connector="OR"),
                        name="council_combined_authority_is_not_inside_another",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="organisation",
            name="council",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisations",
                to="brokerage.council",
            ),
        ),
        migrations.RunPython(create_councils, migrations.RunPython.noop),
        migrations.RunPython(base_organisations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="council",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisations",
                to="brokerage.council",
            ),
        ),
        migrations.AddField(
            model_name="allocationplan",
            name="council",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="allocation_plans",
                to="brokerage.council",
            ),
        ),
        migrations.RunPython(plans_in_their_council, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="allocationplan",
            name="council",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="allocation_plans",
                to="brokerage.council",
            ),
        ),
        migrations.RenameField(model_name="ward", old_name="lad_code", new_name="council"),
        migrations.AlterField(
            model_name="ward",
            name="council",
            field=models.ForeignKey(
                db_column="lad_code",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="wards",
                to="brokerage.council",
            ),
        ),
        migrations.RenameField(model_name="wardset", old_name="lad_code", new_name="council"),
        migrations.AlterField(
            model_name="wardset",
            name="council",
            field=models.ForeignKey(
                db_column="lad_code",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ward_sets",
                to="brokerage.council",
            ),
        ),
        migrations.AddField(
            model_name="ward",
            name="imd2025_score",
            field=models.FloatField(blank=True, null=True, verbose_name="IMD 2025 mean LSOA score"),
        ),
        migrations.AddField(
            model_name="ward",
            name="imd2025_rank",
            field=models.FloatField(blank=True, null=True, verbose_name="IMD 2025 mean LSOA rank"),
        ),
        migrations.AddField(
            model_name="ward",
            name="imd2025_median_decile",
            field=models.FloatField(
                blank=True, null=True, verbose_name="IMD 2025 median LSOA decile"
            ),
        ),
        migrations.AddField(
            model_name="ward",
            name="imd2025_lsoa_count",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ward",
            name="imd2025_lsoas_in_decile_1",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                verbose_name="LSOAs in the most deprived 10% nationally (IMD 2025)",
            ),
        ),
    ]
