"""The IATI record of imported activities (what the portfolio cannot hold) and background jobs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel
from presence.org.models import Scope
from presence.portfolio.models import Project


class IatiActivity(TrackedModel):
    """An IATI activity linked to the project it was imported into (or published as).

    `data` keeps the parts of the activity the portfolio has no field for (titles and descriptions in
    every language, participating organisations, recipient regions, sectors, dates, results), so an
    export gives them back; `fingerprint` tells an unchanged re-import from an update.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="iati", verbose_name=_("project")
    )
    identifier = models.CharField(_("IATI identifier"), max_length=255, unique=True)
    identifier_given = models.BooleanField(
        _("identifier given in the file"),
        default=True,
        help_text=_("False when the file left the identifier empty and one was derived from the content."),
    )
    fingerprint = models.CharField(_("content fingerprint"), max_length=64)
    default_currency = models.CharField(_("default currency"), max_length=3, blank=True)
    language = models.CharField(_("default language"), max_length=10, blank=True)
    # Budgets, transactions and result periods as published are read from here (no row each).
    data = models.JSONField(_("IATI details"), default=dict, blank=True)
    # Portfolio and results records the import made for this activity (ids), replaced on re-import:
    # "budgets" and "transactions" give, per IATI budget/transaction index, the portfolio budget or
    # transaction id (or None); "fundings" and "indicators" list ids.
    links = models.JSONField(_("records made by the import"), default=dict, blank=True)
    source = models.CharField(_("imported from"), max_length=500, blank=True)
    source_line = models.PositiveIntegerField(_("line in the file"), null=True, blank=True)

    scope = Scope(region="project__region", office="project__lead_office")
    # The published record is kept whole in `data`; the audit trail names its source and line instead.
    audit_exclude = (*TrackedModel.audit_exclude, "data", "links")

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities")

    def __str__(self) -> str:
        return self.identifier


class Job(TrackedModel):
    """An import or export run in the background: its progress, log, result file and error."""

    class Kind(models.TextChoices):
        IATI_IMPORT = "iati_import", _("IATI import")
        IATI_EXPORT = "iati_export", _("IATI export")
        SHEET_IMPORT = "sheet_import", _("Spreadsheet import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PREVIEW = "preview", _("Ready to confirm")
        APPLYING = "applying", _("Applying")
        DONE = "done", _("Done")
        PARTIAL = "partial", _("Done with rejections")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sheet_kind = models.CharField(_("spreadsheet kind"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    options = models.JSONField(_("options"), default=dict, blank=True)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    log = models.TextField(_("log"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    input_file = models.FileField(_("uploaded file"), upload_to="interchange/in/", blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_file = models.FileField(_("result file"), upload_to="interchange/out/", blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Last sign of life of a running job (its start, then each progress report written to the row):
    # a job silent for longer than JOB_STALE_AFTER is marked failed (`services.jobs_fail_stale`).
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)

    # Jobs belong to the person who started them; selectors filter on created_by.
    scope = Scope()
    unscoped_actions = ("view", "add")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.PARTIAL, self.Status.FAILED)

    @property
    def is_active(self) -> bool:
        """Running or applying: its progress changes while the page is open."""
        return self.status in (self.Status.RUNNING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.progress / self.total))
