from django.db import models


class SkillCategory(models.Model):
    """Top level of the skills taxonomy, e.g. "Finance and fundraising"."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill a business can give and a charity can ask for, with the words people use for it."""

    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    synonyms = models.JSONField(default=list, blank=True, help_text="Other names, lower case.")
    # Professional advice counts as expert hours in social value; practical help as volunteering.
    is_expert_advice = models.BooleanField(default=False)
    open_data_term = models.CharField(
        max_length=100,
        blank=True,
        help_text="Volunteering Data Standard skill term (after https://ns.volunteeringdata.io/).",
    )

    class Meta:
        ordering = ["category__sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A council priority theme a need can serve (homelessness, health inequalities, …)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
