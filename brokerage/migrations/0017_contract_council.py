"""A contract belongs to the council that let it: contracts so far were let by the council
their business is based in (Coventry, on every installation so far)."""

import django.db.models.deletion
from django.db import migrations, models


def let_by_their_business_council(apps, schema_editor):
    Contract = apps.get_model("brokerage", "Contract")
    for contract in Contract.objects.select_related("organisation"):
        contract.council_id = contract.organisation.council_id
        contract.save(update_fields=["council"])


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0016_councils"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="council",
            field=models.ForeignKey(
                null=True,
                help_text="The council that let the contract.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contracts",
                to="brokerage.council",
            ),
        ),
        migrations.RunPython(let_by_their_business_council, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contract",
            name="council",
            field=models.ForeignKey(
                help_text="The council that let the contract.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contracts",
                to="brokerage.council",
            ),
        ),
    ]
